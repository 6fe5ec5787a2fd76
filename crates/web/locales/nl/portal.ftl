# Ouderportaal (parent portal). Taal: B1, "je". Geen woorden als RSVP, sessie of module.

portal-nav-home = Mijn overzicht
portal-nav-activities = Activiteiten
portal-nav-ideas = Ideeën
portal-nav-data = Mijn gegevens
portal-optional = (hoeft niet)
portal-none = Niet bekend

portal-login-title = Inloggen voor ouders
portal-login-lead = Je krijgt een persoonlijke link. Met die link log je in. Je hebt geen wachtwoord nodig.
portal-field-contact = Je e-mailadres of telefoonnummer
portal-hint-contact = Bijvoorbeeld sanne@voorbeeld.nl of 06-12 34 56 78
portal-login-submit = Stuur mij een link
portal-login-sent-title = Kijk in je e-mail
portal-login-sent = Als we je kennen, sturen we je een e-mail met een link. Heb je een telefoonnummer ingevuld? Dan stuurt je contactpersoon je de link via WhatsApp of sms.
portal-login-sent-next = De link werkt 7 dagen en maar één keer. Geen bericht gekregen? Vraag het aan je contactpersoon bij het koffie-uurtje.
portal-login-limited = Je hebt al een paar keer een link gevraagd. Probeer het over 15 minuten opnieuw.
error-required-contact = Vul je e-mailadres of telefoonnummer in
error-contact-invalid = Vul een e-mailadres in, zoals sanne@voorbeeld.nl, of een telefoonnummer, zoals 06-12 34 56 78

portal-link-title = Inloggen
portal-link-lead = Druk op de knop om in te loggen. Je blijft op deze telefoon ingelogd.
portal-link-submit = Inloggen
portal-link-expired-title = Deze link werkt niet meer
portal-link-expired = Deze link is te oud of gestopt. Vraag een nieuwe link aan.
portal-link-used = Deze link is al gebruikt. Een link werkt maar één keer. Vraag een nieuwe link aan.
portal-link-unknown = We kennen deze link niet. Kijk of je de hele link hebt gebruikt, of vraag een nieuwe aan.
portal-link-valid = Druk op de knop om in te loggen.
portal-link-new = Nieuwe link vragen
portal-link-mail-subject = Je link voor Meet the Parents
portal-link-mail-text = Hallo { $name },

    Met deze link log je in bij Meet the Parents:
    { $url }

    De link werkt 7 dagen en maar één keer. Heb je niet om deze link gevraagd? Dan hoef je niets te doen.
portal-link-message = Hallo { $name }! Met deze link zie je wat er bij Meet the Parents te doen is. Je kunt ook laten weten of je komt: { $url } (de link werkt 7 dagen)

portal-unlock-title = Vul je pincode in
portal-unlock-hint = De 4 tot 6 cijfers die je zelf hebt gekozen
portal-unlock-submit = Doorgaan
portal-unlock-other = Ik ben iemand anders
portal-pin-wrong = Deze pincode klopt niet. Je kunt het nog { $count } keer proberen.

portal-home-title = Mijn overzicht
portal-hello = Hallo { $name }
portal-next = De volgende keer
portal-coming = Binnenkort
portal-all-activities = Alle activiteiten
portal-nothing-planned = Er staat nu niets gepland. Kijk later nog eens.
portal-yes = Ik kom
portal-no = Ik kan niet
portal-change = Wijzigen
portal-add-to-calendar = Zet in mijn agenda
portal-today = vandaag
portal-tomorrow = morgen
portal-cancelled = Gaat niet door
portal-cancelled-lead = Deze keer gaat niet door. Sorry!
portal-childcare = Er is kinderopvang
portal-no-childcare = Geen kinderopvang
portal-answer-coming = Je komt
portal-answer-coming-with = Je komt. Kinderen die meekomen: { $count }
portal-answer-not-coming = Je komt niet
portal-consents-link = Bekijken of wijzigen
portal-data-view = Bekijken, downloaden of laten verwijderen
portal-ideas-link = Een idee geven of kiezen

portal-activities-title = Activiteiten
portal-activities-lead = Hier zie je wat er de komende weken te doen is. Alles is gratis, tenzij er iets anders staat.
portal-answer-link = Laat weten of je komt
portal-calendar-link = Zet alles in de agenda van je telefoon

portal-answer-title = Kom je?
portal-when = Wanneer
portal-where = Waar
portal-cost = Kosten
portal-childcare-label = Kinderopvang
portal-your-answer = Jouw antwoord
portal-question-coming = Kom je?
portal-field-children = Hoeveel kinderen neem je mee?
portal-hint-children = Vul 0 in als je alleen komt
portal-field-childcare = Ik wil graag kinderopvang
portal-field-reason = Waarom kun je niet? (dit hoeft niet)
portal-hint-reason = Dan kunnen we misschien helpen, bijvoorbeeld met opvang
portal-reason-none = Dat zeg ik liever niet
portal-answer-submit = Versturen
portal-error-answer = Kies of je komt
portal-refused-cancelled = Deze keer gaat niet door. Je hoeft niets te laten weten.
portal-refused-past = Deze keer is al voorbij.
flash-portal-coming = Fijn dat je komt! Je staat op de lijst voor { $name }.
flash-portal-not-coming = Jammer! We hebben doorgegeven dat je niet komt.
flash-portal-welcome = Je bent ingelogd. Welkom!
flash-portal-signed-out = Je bent uitgelogd.
flash-portal-pin-locked = Te vaak een verkeerde pincode. Vraag een nieuwe link aan.

portal-calendar-title = In je agenda
portal-calendar-lead = Met een agenda-link zie je je activiteiten vanzelf in de agenda van je telefoon. Ook als er iets verandert.
portal-calendar-has = Je hebt al een agenda-link. Maak je een nieuwe? Dan werkt de oude niet meer.
portal-calendar-make = Maak mijn agenda-link
portal-calendar-made = Je agenda-link is klaar
portal-calendar-subscribe = Toevoegen aan mijn agenda
portal-calendar-copy = Werkt de knop niet? Kopieer dan deze link naar je agenda-app. Deel de link met niemand.

portal-ideas-title = Ideeën
portal-ideas-lead = Wat wil je graag doen of leren? Geef een idee of kies een idee van een andere ouder. Niemand ziet wie wat heeft gekozen.
portal-ideas-none = Er zijn nog geen ideeën. Geef jij het eerste idee?
portal-idea-mine = Jouw idee
portal-idea-vote = Dit wil ik ook
portal-idea-unvote = Toch niet
portal-idea-new = Geef een idee
portal-field-idea-kind = Wat voor idee is het?
portal-field-idea = Je idee
portal-hint-idea = Kort, bijvoorbeeld: Samen gezond koken
portal-idea-submit = Idee versturen
error-required-kind = Kies wat voor idee het is
error-required-idea = Schrijf je idee op
error-too-long-idea = Maak je idee korter: hoogstens 120 tekens
flash-portal-idea = Dank je wel voor je idee!
idea-kind-workshop = Workshop of thema-avond
idea-kind-outing = Uitje
idea-kind-other = Iets anders
idea-votes = Gekozen: { $count }

portal-consents-title = Mijn toestemmingen
portal-consents-lead = Hier zie je waarvoor je ja of nee hebt gezegd. Je kunt dit altijd veranderen. Zeg je nee? Dan kun je gewoon blijven meedoen.
portal-consent-yes = Ja
portal-consent-no = Nee
portal-consent-not-asked = Nog niet gevraagd
portal-consent-data-erase = Gegevens laten verwijderen
portal-consent-title = Toestemming
portal-consent-check-title = Klopt dit?
portal-consent-done-title = Je keuze is opgeslagen
portal-consent-answer-yes = Ja, dat is goed
portal-consent-answer-no = Nee, liever niet
portal-continue = Doorgaan
portal-confirm = Opslaan
portal-consents-back = Terug naar mijn toestemmingen
portal-error-yes-no = Kies ja of nee
portal-consent-question-chat_group = Wil je in de WhatsApp-groep?
portal-consent-explain-chat_group = In de groep delen we wat er te doen is. De andere ouders in de groep zien je naam en je telefoonnummer.
portal-consent-now-chat_group-yes = Je contactpersoon zet je in de WhatsApp-groep.
portal-consent-now-chat_group-no = Je contactpersoon haalt je uit de WhatsApp-groep. Je hoort het belangrijkste nieuws dan van je contactpersoon.
portal-consent-question-photos = Mogen we foto's maken waar jij of je kinderen op staan?
portal-consent-explain-photos = We laten met foto's zien wat we doen, bijvoorbeeld in een nieuwsbrief.
portal-consent-now-photos-yes = Je mag op foto's staan. Je kunt dit altijd weer veranderen.
portal-consent-question-quote = Mogen we iets wat je zegt gebruiken, zonder je naam?
portal-consent-explain-quote = Bijvoorbeeld in een verslag: "Hier voel ik me welkom." Niemand weet dat jij het zei.
portal-consent-now-quote-yes = We mogen iets wat je zegt gebruiken, zonder je naam.
portal-consent-now-quote-no = We gebruiken niets meer wat je zegt.
portal-consent-question-research = Wil je meedoen aan onderzoek?
portal-consent-explain-research = Onderzoekers willen weten of Meet the Parents helpt. Zij zien nooit je naam.
portal-consent-now-research-yes = Je doet mee aan onderzoek. Onderzoekers zien nooit je naam.
portal-consent-now-research-no = Je doet niet mee aan onderzoek. We geven niets over jou door.

portal-data-title = Mijn gegevens
portal-data-lead = Dit weten we over jou en je gezin. De aantekeningen van je contactpersoon staan hier niet bij. Wil je ze zien? Vraag het je contactpersoon.
portal-phone = Telefoonnummer
portal-email = E-mailadres
portal-channel = Zo houden we contact
portal-contact-link = Telefoonnummer of e-mailadres veranderen
portal-family = Je gezin
portal-children = Kinderen
portal-neighbourhood = Wijk
portal-since = Ingeschreven op
portal-visits = Keren geweest
portal-your-rights = Wat je kunt doen
portal-download = Download mijn gegevens als bestand (voor een computer)
portal-erase-link = Vraag of we je gegevens verwijderen
portal-pin-link = Zet een pincode op deze telefoon
portal-pin-change = Pincode veranderen of weghalen

portal-contact-title = Contactgegevens veranderen
portal-save = Opslaan
flash-portal-contact = Je contactgegevens zijn opgeslagen.

portal-erase-title = Gegevens laten verwijderen
portal-erase-lead = Wil je niet meer dat we je gegevens bewaren? Dan vraag je dat hier. Je vraag gaat naar je contactpersoon.
portal-erase-what = Je contactpersoon belt of appt je eerst. Daarna verwijderen we je naam, je telefoonnummer en je e-mailadres. Ook de namen van je kinderen en de aantekeningen gaan weg. Je kunt daarna niet meer inloggen.
portal-erase-submit = Ja, verwijder mijn gegevens
portal-erase-done = We hebben je vraag ontvangen
portal-erase-next = Je contactpersoon neemt binnen 2 weken contact met je op. Binnen een maand zijn je gegevens verwijderd. Kan dat niet? Dan hoor je waarom.
portal-erase-pending = Je hebt gevraagd om je gegevens te verwijderen. Je contactpersoon neemt contact met je op.
portal-erase-refused = We verwijderen je gegevens nu niet.
portal-erase-refused-on = Je contactpersoon schreef op { $date }:
portal-erase-refused-next = Heb je vragen? Bel of app je contactpersoon. Je kunt het ook opnieuw vragen.
portal-erase-refused-why = Lees waarom
portal-back-home = Terug naar mijn overzicht

portal-pin-title = Pincode
portal-pin-lead = Gebruik je deze telefoon samen met anderen? Met een pincode kan alleen jij je gegevens zien. Doe je 15 minuten niets? Dan vragen we de pincode.
portal-field-pin = Kies een pincode
portal-hint-pin = 4 tot 6 cijfers
portal-field-pin-again = Typ je pincode nog een keer
portal-pin-submit = Pincode opslaan
portal-pin-remove = Pincode weghalen
error-pin-invalid = Een pincode heeft 4 tot 6 cijfers
error-pin-mismatch = De twee pincodes zijn niet hetzelfde
error-required-pin = Vul je pincode in
flash-portal-pin-set = Je pincode is opgeslagen.
flash-portal-pin-removed = Je pincode is weggehaald.

# Voor medewerkers
portal-staff-heading = App voor ouders
portal-staff-lead = Stuur het gezin een persoonlijke link. Daarmee zien ze wat er te doen is, laten ze weten of ze komen en beheren ze hun toestemmingen.
portal-staff-phones = Ingelogd op { $count ->
        [one] 1 telefoon
       *[other] { $count } telefoons
    }
portal-staff-open-links = Links nog niet gebruikt: { $count }
portal-staff-last-sign-in = Laatst ingelogd: { $date }
portal-staff-link-whatsapp = Link sturen via WhatsApp
portal-staff-link-sms = Link sturen via sms
portal-staff-link-email = Link e-mailen
portal-staff-no-contact = Dit gezin heeft geen telefoonnummer en geen e-mailadres. Vul eerst een van de twee in.
portal-staff-end = Uitloggen op alle telefoons
portal-staff-link-title = Link voor de app voor ouders
portal-staff-link-lead = De link is klaar. Druk op de knop: het bericht staat er al in. Je verstuurt het vanaf je eigen telefoon.
portal-staff-link-copy = Of kopieer de link:
portal-staff-link-next = De link werkt 7 dagen en maar één keer. Daarna blijft de ouder ingelogd op de eigen telefoon.
portal-staff-no-phone = Dit gezin heeft geen telefoonnummer. Kopieer de link of e-mail hem.
portal-staff-send-whatsapp = WhatsApp naar { $name }
portal-staff-send-sms = Sms naar { $name }
flash-portal-link-mailed = De link voor { $name } staat klaar om te mailen.
flash-portal-link-not-mailed = We kunnen de link niet mailen: { $name }
flash-portal-ended = Het gezin is op alle telefoons uitgelogd.
parent-requests-heading = Vragen van ouders
parent-request-erasure = Wil gegevens laten verwijderen
parent-request-new_link = Wil een nieuwe link (via telefoon)
parent-request-done = Afgehandeld
parent-request-handle = Afhandelen
parent-request-overdue = Langer dan een maand
parent-request-erasure-not-closed = Zo kun je dit verzoek niet afsluiten. Verwijder de gegevens, of weiger het verzoek en schrijf de reden op.
parent-request-closed = Dit verzoek is al beantwoord.
parent-request-not-erasure = Dit is geen verzoek om gegevens te verwijderen.
erasure-request-title = Verzoek om gegevens te verwijderen
erasure-request-lead = { $name } vroeg op { $date } om de gegevens van het gezin te verwijderen.
erasure-request-due = Het gezin hoort uiterlijk { $date } wat we doen.
erasure-request-two-ways = Je beantwoordt het verzoek op een van twee manieren. Je verwijdert de gegevens. Of je weigert en schrijft op waarom.
erasure-request-erase-heading = Verwijderen
erasure-request-erase-lead = Het verzoek sluit dan vanzelf. Je ziet eerst wat verdwijnt en wat blijft.
erasure-request-refuse-heading = Weigeren
erasure-request-refuse-lead = Moeten we de gegevens nog bewaren, bijvoorbeeld voor de wet? Schrijf dan de reden op. Het gezin leest die in de app. Heeft het gezin e-mail, dan krijgt het ook een e-mail.
field-refusal-reason = Reden voor het gezin
hint-refusal-reason = In gewone woorden. Het gezin leest precies wat je hier schrijft.
error-required-reason = Schrijf de reden op
error-too-long-reason = Maak de reden korter: hoogstens 1000 tekens
erasure-request-refuse = Verzoek weigeren
flash-erasure-refused-mailed = Het verzoek is geweigerd. Het gezin krijgt de reden per e-mail en ziet die in de app.
flash-erasure-refused = Het verzoek is geweigerd. Het gezin ziet de reden in de app. We kunnen het gezin niet mailen: vertel het ook zelf.
erasure-refused-mail-subject = Je vraag om je gegevens te verwijderen
erasure-refused-mail-text = Hallo { $name },

    Je vroeg ons om je gegevens te verwijderen. Dat doen we nu niet. Dit is de reden:

    { $reason }

    Heb je vragen? Bel of app je contactpersoon. In de app voor ouders lees je dit ook.
home-erasure-overdue = { $count ->
        [one] 1 verzoek om gegevens te verwijderen wacht langer dan een maand.
       *[other] { $count } verzoeken om gegevens te verwijderen wachten langer dan een maand.
    }
home-erasure-overdue-link = Naar de vragen van ouders
timeline-erasure_refused = Verzoek om gegevens te verwijderen geweigerd
flash-parent-request-done = De vraag is afgehandeld.
ideas-demand-title = Wensen van ouders
ideas-demand-lead = Ideeën die ouders in de app gaven, met hoe vaak ze gekozen zijn. Workshops volgen de vragen van de ouders.
idea-hide = Weghalen
timeline-portal_sign_in = Ingelogd in de app voor ouders
timeline-portal_ended = Uitgelogd op alle telefoons
timeline-portal_request = Vraag via de app
timeline-contact_changed = Contactgegevens veranderd in de app
timeline-data_downloaded = Gegevens gedownload in de app

portal-contact-heading = Contact
portal-contact-lead = Vragen? Bel of app { $name }:
portal-contact-whatsapp = Stuur een WhatsApp

# Woorden van de ouder, niet van de medewerker (docs/glossary.md)
portal-consent-label-data = Je gegevens bewaren en contact met je opnemen
portal-consent-label-chat_group = In de WhatsApp-groep
portal-consent-label-photos = Op foto's staan
portal-consent-label-quote = Iets wat je zegt gebruiken, zonder je naam
portal-consent-label-research = Meedoen aan onderzoek
portal-consent-no-is-fine = Nee zeggen mag. Je kunt dan gewoon meedoen.
portal-consent-now-photos-no-not_set = We maken geen foto's meer van jou en je kinderen. Wat gebeurt er met foto's die er al zijn? Vraag het je contactpersoon.
portal-consent-now-photos-no-remove = We maken geen foto's meer van jou en je kinderen. Foto's met jullie erop halen we van onze website en sociale media. Wat al gedrukt is, kunnen we niet terughalen.
portal-consent-now-photos-no-keep = We maken geen foto's meer van jou en je kinderen. We gebruiken oude foto's met jullie erop niet meer. Wat al gepubliceerd is, blijft staan.
portal-family-kind = Soort gezin
portal-kind-single_parent = Gezin met één ouder
portal-kind-multi_parent = Gezin met twee ouders
portal-erase-kept = Wat blijft: alleen cijfers zonder naam. Bijvoorbeeld hoe vaak er iemand kwam. Niemand kan zien dat jij dat was.
portal-data-read = Lees alles op één pagina
portal-data-all-title = Wat we over je weten
portal-data-all-lead = Dit hebben we over jou en je gezin opgeschreven. De aantekeningen van je contactpersoon staan hier niet bij.
portal-data-all-print = Druk je telefoon of computer op Afdrukken? Dan kun je de pagina ook als pdf bewaren.
portal-data-consent-history = Wanneer je ja of nee zei
portal-data-visits-list = Wanneer je er was
portal-data-no-visits = Je bent nog niet geweest.
portal-data-consent-line = { $date }: { $answer }
portal-languages = Talen
portal-free-days = Vrije dagen
portal-postcode = Postcode (cijfers)
portal-interests = Waar je van houdt
portal-talents = Waar je goed in bent
