# Hulp bij de app, voor ouders (docs/guide/portal.md#help). Taal: B1, "je", zinnen van
# hoogstens 15 woorden, geen woorden van medewerkers (docs/glossary.md, "Parent pages").

portal-guide-link = Hulp
portal-guide-title = Hulp bij de app
portal-guide-lead = In deze app zie je wat er te doen is. Je regelt er ook zelf dingen. Hier lees je hoe.

portal-guide-do = Wat kun je in de app doen?
portal-guide-activities = Zien wat er de komende weken te doen is. Bij elke activiteit laat je weten of je komt.
portal-guide-go-activities = Naar de activiteiten
portal-guide-calendar = Je activiteiten in de agenda van je telefoon zetten. Dan vergeet je niets.
portal-guide-go-calendar = Naar je agenda
portal-guide-ideas = Een idee geven voor een uitje of workshop. Of een idee van een andere ouder kiezen.
portal-guide-go-ideas = Naar de ideeën
portal-guide-consents = Ja of nee zeggen tegen foto's, de WhatsApp-groep en onderzoek. Een ja kun je altijd intrekken: kies dan Nee. Nee zeggen mag. Je kunt dan gewoon meedoen.
portal-guide-go-consents = Naar mijn toestemmingen
portal-guide-data = Zien wat we over jou en je gezin weten. Je telefoonnummer of e-mailadres veranderen.
portal-guide-go-data = Naar mijn gegevens

portal-guide-sign-in = Hoe log je opnieuw in?
portal-guide-stay = Je blijft op deze telefoon ingelogd. Ben je 4 maanden niet in de app geweest? Dan log je opnieuw in.
portal-guide-new-link = Je logt in met een link. Een wachtwoord heb je niet nodig. Een nieuwe link vraag je aan je contactpersoon. Die stuurt de link via WhatsApp, sms of e-mail. Je kunt ook zelf een link vragen op de pagina Inloggen voor ouders.
portal-guide-link-once = Een link werkt 7 dagen en maar één keer.
portal-guide-pin = Gebruik je deze telefoon samen met anderen? Zet dan een pincode op de app.
portal-guide-go-pin = Een pincode kiezen

portal-guide-ask = Wie kun je iets vragen?
portal-guide-ask-worker = Je contactpersoon. Dat is de medewerker die je kent van het koffie-uurtje.
portal-guide-ask-host = Bij het koffie-uurtje kun je het ook aan de gastvrouw of gastheer vragen.

portal-guide-privacy = Wat doen we met je gegevens?
portal-guide-kept = We bewaren je naam, hoe we je bereiken, je kinderen en wanneer je er was. Iedereen ziet alleen wat nodig is voor zijn werk.
portal-guide-see = Je mag altijd zien wat we over je weten. Je kunt ook vragen of we het verwijderen.
portal-guide-change-mind = Waar je ja of nee tegen zei, verander je zelf.
