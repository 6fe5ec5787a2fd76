# Verwijzingen van partners naar het team (issue #16, docs/guide/referrals.md). Taal: B1, "je".
# fluent-templates laadt elk .ftl-bestand in deze map; een sleutel staat in maar één bestand.

nav-referrals = Verwijzingen
home-referrals-link = Verwijzingen van partners


## het formulier van de partner
referral-new-title = Een ouder verwijzen
referral-new-lead = Ken je een ouder die andere ouders wil ontmoeten? Vertel het ons. Wij nemen contact op.
referral-new-next = De ouder krijgt eerst een bericht van ons. Pas als de ouder op de eigen telefoon "ja" zegt, nemen wij contact op.
referral-new-submit = Verwijzing versturen
field-referral-first-name = Voornaam van de ouder
field-referral-reach = Telefoonnummer of e-mailadres van de ouder
hint-referral-reach = Bijvoorbeeld 06-12345678 of naam@voorbeeld.nl
field-referral-need = Wat zoekt de ouder?
hint-referral-need = Kort, in een paar woorden. Bijvoorbeeld: andere moeders leren kennen. Schrijf hier geen medische of andere gevoelige dingen.
field-referral-neighbourhood = In welke wijk woont de ouder?
field-referral-agreed = De ouder vindt het goed dat het team contact opneemt
error-required-reach = Vul een telefoonnummer of een e-mailadres in.
error-contact-invalid-reach = Dit is geen goed telefoonnummer of e-mailadres. Bijvoorbeeld 06-12345678 of naam@voorbeeld.nl.
error-required-need = Schrijf kort wat de ouder zoekt.
error-too-long-need = Dit is te lang. Gebruik hoogstens 300 tekens.
error-required-neighbourhood_id = Kies de wijk van de ouder.
error-choice-invalid-neighbourhood_id = Kies een wijk uit de lijst.
error-required-agreed = Verwijs een ouder alleen als de ouder het goed vindt. Zet dan een vinkje.
flash-referral-created = Dank je. De verwijzing van { $name } is verstuurd.

## de lijst van de partner
referrals-title = Mijn verwijzingen
referrals-lead = Hier zie je hoe het gaat met de ouders die jullie hebben verwezen.
referrals-none = Jullie hebben nog niemand verwezen.
referrals-count = { $count ->
    [one] { $count } verwijzing
   *[other] { $count } verwijzingen
}
referrals-privacy = Je ziet alleen of er contact is en of de ouder naar een activiteit kwam. Meer vertellen we niet: dat is privé.
referral-no-name = Verwijzing
referral-since = sinds { $date }
referral-referred-on = Verwezen op { $date }
referral-status-received = Ontvangen
referral-status-contact-made = Contact gelegd
referral-status-joined = Kwam naar een activiteit
referral-status-did-not-join = Niet gekomen

## het team
referrals-inbox-title = Verwijzingen van partners
referrals-inbox-lead = Ouders die een partner naar jullie verwees. Stuur de ouder een link. Pas als de ouder "ja" zegt, zie je meer.
referrals-inbox-none = Er zijn geen open verwijzingen.
referral-title = Verwijzing
referral-partner = Verwezen door
referral-neighbourhood = Wijk
referral-referred = Verwezen op
referral-state-waiting = Verwijzing wacht op bevestiging van de ouder
referral-state-confirmed = De ouder zei ja: maak er een gezin van
referral-state-declined = De ouder zei nee
referral-state-expired = Verlopen zonder antwoord
referral-state-household = Is een gezin geworden
referral-waiting-explain = Stuur de ouder een link. De ouder zegt op de eigen telefoon ja of nee. Zonder antwoord vervalt de verwijzing op { $date }. Dan verwijderen we de gegevens.
referral-link-made-on = Link gemaakt op { $date }
referral-link-make = Link voor de ouder maken
referral-link-again = Nieuwe link maken (de oude werkt dan niet meer)
referral-household-heading = Nieuw gezin maken
referral-household-make = Gezin maken
referral-merge-heading = Of: bij een gezin zetten dat je al kent
referral-merge-lead = Deze gezinnen in de wijk lijken erop. Kies het goede gezin.
referral-merge-none = We vonden geen gezin in de wijk met deze naam of dit nummer.
referral-merge-into = Bij { $name } zetten
referral-to-household = Naar het gezin
referral-closed = Deze verwijzing is gesloten. De gegevens van de ouder zijn verwijderd.
referral-refused-not-waiting = De ouder heeft al geantwoord, of de verwijzing is verlopen.
referral-refused-not-confirmed = De ouder heeft nog niet bevestigd, of er is al een gezin van gemaakt.
referral-refused-other-neighbourhood = Dat gezin woont in een andere wijk.
flash-referral-refused = Dat lukte niet. { $name }
flash-referral-household = { $name } staat nu in het register.
flash-referral-merged = De verwijzing van { $name } staat nu bij het gezin.
timeline-referral = Aangemeld via een verwijzing van een partner
timeline-referral_merged = Verwijzing van een partner toegevoegd

## de link voor de ouder
referral-link-title = Link voor de ouder
referral-link-lead = Stuur deze link naar de ouder. De link werkt één keer.
referral-link-copy = Of kopieer de link:
referral-link-next = De ouder zegt ja of nee. Bij ja zie je de verwijzing met het telefoonnummer of e-mailadres. Dan kun je er een gezin van maken.
referral-link-message = Hallo { $name }, je hoorde over Meet the Parents: ouders in de wijk die elkaar ontmoeten. Wil je dat wij contact met je opnemen? Zeg het hier: { $url }
referral-link-mail-subject = Wil je andere ouders ontmoeten?
referral-send-whatsapp = Stuur { $name } een WhatsApp-bericht
referral-send-sms = Stuur { $name } een sms
referral-send-email = Stuur { $name } een e-mail

## de pagina van de ouder
referral-answer-title = Andere ouders ontmoeten
referral-answer-hello = Hallo { $name },
referral-answer-lead = { $partner } vertelde ons dat je misschien andere ouders wilt ontmoeten. Wij zijn { $org }.
referral-answer-question = Wil je dat iemand van ons team in { $neighbourhood } contact met je opneemt?
referral-answer-yes = Ja, neem contact met mij op
referral-answer-no = Nee, liever niet
referral-answer-privacy = Zeg je nee? Dan verwijderen we je naam en nummer meteen.
referral-answer-thanks-yes = Dank je! Iemand van ons team neemt snel contact met je op.
referral-answer-thanks-no = Goed. We hebben je naam en nummer verwijderd. Je hoort niets meer van ons.
referral-answer-used = Je hebt al geantwoord. Dank je.
referral-answer-expired = Deze link werkt niet meer. Wil je toch andere ouders ontmoeten? Vraag het aan de school of de organisatie die ons over je vertelde.
referral-answer-unknown = Deze link werkt niet. Kijk of je de hele link hebt gekopieerd.

## e-mail
referral-link-mail = Link per e-mail sturen
referral-refused-no-email = De partner gaf geen e-mailadres.
flash-referral-mailed = De link voor { $name } gaat per e-mail.
reminders-kind-referral = Link voor een verwezen ouder

## the register's source (issue #16)
source-partner = Via een andere partnerorganisatie
