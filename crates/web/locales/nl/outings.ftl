# Series, planning from the parents' time, holiday activities and outings (issue #18).

## Series: how often
field-repeat = Hoe vaak
repeat-w1 = Elke week
repeat-w2 = Om de week
repeat-w3 = Elke 3 weken
repeat-w4 = Elke 4 weken
repeat-w5 = Elke 5 weken
repeat-w6 = Elke 6 weken
repeat-w7 = Elke 7 weken
repeat-w8 = Elke 8 weken
repeat-m1 = 1 keer per maand, de eerste van de maand
repeat-m2 = 1 keer per maand, de tweede van de maand
repeat-m3 = 1 keer per maand, de derde van de maand
repeat-m4 = 1 keer per maand, de vierde van de maand
repeat-m5 = 1 keer per maand, de laatste van de maand
plan-series-title = Een reeks inplannen
plan-series-hint = Kies de dag en hoe vaak. Bijvoorbeeld een kookworkshop 1 keer per maand op de tweede donderdag. Bestaande bijeenkomsten blijven zoals ze zijn.

## Planning from the parents' time
weekday-fit-option = { $day } ({ $count } kunnen)
weekday-fit-title = Welke dag past bij de ouders?
weekday-fit-hint = { $count ->
    [0] Er zijn nog geen gezinnen die meedoen (3 keer of vaker geweest in het afgelopen jaar). Daarom tellen we nog niets.
    [one] 1 gezin doet mee (3 keer of vaker geweest in het afgelopen jaar). Achter elke dag staat of dat gezin dan kan.
   *[other] { $count } gezinnen doen mee (3 keer of vaker geweest in het afgelopen jaar). Achter elke dag staat hoeveel van hen dan kunnen. Wie werkt, kan op de vrije dagen die bij het gezin staan.
}
weekday-fit-day = Dag
weekday-fit-can-come = Gezinnen die kunnen

## Holiday activities: the organisation's list
holiday-fathers-day = Vaderdag
holiday-keti-koti = Keti Koti
holiday-suikerfeest = Suikerfeest
nth-m1 = de eerste
nth-m2 = de tweede
nth-m3 = de derde
nth-m4 = de vierde
nth-m5 = de laatste
holiday-rule-fixed = Elk jaar op { $day } { $month }
holiday-rule-nth = Elk jaar { $which } van { $month }
holiday-rule-entered = De datum verschilt per jaar: { $name }
holiday-rule-entered-none = De datum verschilt per jaar. Vul de datum van dit jaar in.
holiday-list-title = Feestdagen voor activiteiten
holiday-list-lead = Bij deze feestdagen stellen we 6 weken van tevoren een activiteit voor. Ouders organiseren die graag zelf. Haal weg wat niet past bij jullie wijk en zet erbij wat de gezinnen vieren.
holiday-list-link = Feestdagen aanpassen
holiday-list-next = volgende keer { $name }
holiday-list-hidden = Niet op de lijst
holiday-list-hide = Van de lijst halen
holiday-list-show = Weer op de lijst zetten
holiday-list-date = Datum van { $name }
holiday-list-date-save = Datum opslaan
holiday-list-add-title = Een feestdag toevoegen
holiday-list-name = Naam van de feestdag
holiday-list-fixed-day = Dag en maand
holiday-list-fixed-day-hint = Bijvoorbeeld 1-7 voor 1 juli. Laat leeg als de datum elk jaar anders is, zoals bij het Suikerfeest. Dan vul je de datum per jaar in.
holiday-list-add = Toevoegen
flash-holiday-list-added = Toegevoegd aan de lijst: { $name }.
activity-organisers-title = Ouders die meeorganiseren
activity-organisers-hint = Organiseren ouders dit mee? Kies de gezinnen uit de wijk die meehelpen. Zo zie je ook wie bijdraagt.
holiday-organisers-title = Ouders die dit organiseren
holiday-organisers-hint = Ouders organiseren de feestdagactiviteit graag zelf. Kies een of meer gezinnen uit de wijk.

## Outings
outing-organisers-title = Ouders die meeorganiseren
outing-organisers-hint = Een uitje organiseer je samen met de ouders. Kies de gezinnen uit de wijk die meehelpen.
outing-organisers-none = Nog niemand.
outing-organiser-field = Gezin
outing-organiser-add = Toevoegen als organisator
outing-organiser-remove = Weghalen
flash-organiser-added = Het gezin organiseert mee.
flash-organiser-removed = Het gezin is weggehaald als organisator.
outing-title = Het uitje
outing-plan-title = Het uitje plannen
outing-change-title = Het uitje aanpassen
outing-destination = Waar gaan we heen?
outing-date = Datum
outing-date-hint = Op deze dag plannen we het uitje in.
outing-no-date = Nog geen datum.
outing-meeting-point = Verzamelplek
outing-public-transport = Openbaar vervoer
outing-public-transport-hint = Bijvoorbeeld: bus 22 vanaf het station, 10:15 uur.
outing-coming = Wie gaan er mee
outing-coming-count = { $families } gezinnen, { $people } personen
outing-ticket = Entree per persoon
outing-ticket-hint = In euro, zoals 7,50. Voor ouders en kinderen.
outing-transport = Vervoer, alles samen
outing-transport-hint = In euro. Bijvoorbeeld een busje of benzinegeld.
outing-subsidy = Subsidie of bijdrage van een fonds
outing-subsidy-hint = In euro. Wat een fonds, de gemeente of de organisatie betaalt.
outing-affordable = Wat een gezin kan betalen
outing-affordable-hint = In euro per gezin. Spreek dit af met de groep.
outing-save = Opslaan
flash-outing-saved = Het uitje is opgeslagen.
outing-zero-euros = € 0,00
outing-budget-title = Wat kost het per gezin?
outing-total = Totaal (entree en vervoer)
outing-to-pay = Na aftrek van de subsidie
outing-per-family = Per gezin
outing-cost-unknown = Vul het uitje in en plan de datum. Dan rekenen we uit wat het per gezin kost.
outing-fits = Dit past bij wat de gezinnen kunnen betalen.
outing-does-not-fit = Dit is meer dan de gezinnen kunnen betalen. Er is nog { $name } subsidie nodig, of kies een goedkoper uitje.
outing-transport-title = Vervoer
outing-seats = { $seats ->
    [one] 1 plek in een auto.
   *[other] { $seats } plekken in auto's.
} { $short ->
    [0] Iedereen die een lift nodig heeft, kan mee.
    [one] Nog 1 plek nodig.
   *[other] Nog { $short } plekken nodig.
}
outing-seats-of = { $name } plekken
outing-drivers = Wie rijdt er?
outing-drivers-none = Nog niemand.
outing-lifts = Gezinnen die een lift nodig hebben
outing-lifts-none = Geen.
outing-lift-from-answer = zei: kan niet komen door vervoer
outing-ride-kind = Wat wil je toevoegen?
outing-ride-driver = Iemand die rijdt
outing-ride-lift = Een gezin dat een lift nodig heeft
outing-ride-household = Gezin uit de wijk
outing-driver-name = Of: naam van een vrijwilliger die rijdt
outing-driver-name-hint = Alleen als de chauffeur geen ouder uit de wijk is.
outing-seats-field = Aantal plekken
outing-seats-hint = Voor iemand die rijdt: 1 tot en met 8.
outing-ride-add = Toevoegen
flash-ride-added = Toegevoegd bij vervoer.
flash-ride-removed = Weggehaald bij vervoer.
outing-remove = Weghalen
outing-children-title = Kinderen die meegaan
outing-children-summary = { $children } kinderen en { $adults } ouders. Zorg voor genoeg begeleiding.
outing-age-band = Leeftijd
outing-children-count = Aantal kinderen
outing-checklist-title = Checklist
outing-checklist-none = Nog niets op de checklist.
outing-check-tickets = Kaartjes gereserveerd of gekocht
outing-check-transport = Vervoer geregeld
outing-check-meeting-point = Verzamelplek en tijd doorgegeven aan de gezinnen
outing-check-emergency-numbers = Telefoonnummers voor noodgevallen bij de hand
outing-check-first-aid = EHBO-doos mee
outing-check-done = Klaar
outing-check-open = Nog doen
outing-check-tick = Afvinken
outing-check-undo = Terugzetten
outing-check-field = Iets toevoegen aan de checklist
outing-check-add = Toevoegen
outing-after-title = Na het uitje
outing-after-hint = Na de dag zie je hier wie er mee was. Houd de aanwezigheid bij op de pagina van de bijeenkomst.
outing-came-count = { $name ->
    [0] Niemand was er bij.
    [one] 1 gezin was er bij:
   *[other] { $name } gezinnen waren er bij:
}
outing-costs-title = Geboekte kosten
outing-costs-none = Nog geen kosten geboekt.
outing-costs-ledger = Een kost die je hier boekt, staat ook in de uitgaven van de begroting, bij Activiteitenkosten en bij het eigen budget van dit uitje. Verwijderen draait de uitgave daar terug.
outing-cost-description = Waarvoor
outing-cost-amount = Bedrag
outing-cost-amount-hint = In euro, zoals 42,50.
outing-cost-date = Datum
outing-cost-book = Kosten boeken
outing-costs-total = Totaal
flash-cost-booked = De kosten zijn geboekt.
flash-cost-removed = De kosten zijn weggehaald.

## Het eigen budget van een uitje of workshop (alleen voor wie de begroting ziet)
outing-own-title = Eigen budget { $year }
outing-own-budget = Eigen budget
outing-own-spent = Uitgegeven
outing-own-forecast = Verwacht als alle bijeenkomsten geweest zijn
outing-own-left = Nog over
outing-own-over = Meer uitgegeven dan het eigen budget
outing-own-none = Er is geen eigen budget voor { $year }. Uitgegeven tot nu toe: { $spent }.
outing-own-change = Eigen budget wijzigen op de begroting
outing-own-set = Een eigen budget geven op de begroting

## Field messages
error-choice-invalid-repeat = Kies hoe vaak de bijeenkomst is.
error-required-destination = Vul in waar het uitje heen gaat.
error-required-organiser = Kies een gezin uit de wijk.
error-choice-invalid-organiser = Kies een gezin uit de wijk van deze activiteit.
error-required-ride_household = Kies een gezin uit de wijk, of vul de naam van de chauffeur in.
error-choice-invalid-ride_household = Kies een gezin uit de wijk van deze activiteit.
error-choice-invalid-seats = Vul een aantal plekken in van 1 tot en met 8.
error-required-seats = Vul in hoeveel plekken er in de auto zijn.
error-required-check_label = Vul in wat er op de checklist moet.
error-required-cost_description = Vul in waarvoor de kosten zijn.
error-required-cost_amount = Vul het bedrag in.
error-required-holiday_name = Vul de naam van de feestdag in.
error-date-invalid-fixed_day = Vul een dag en maand in, zoals 1-7 voor 1 juli.
flash-not-an-outing = Dit kan alleen bij een uitje of een feestdagactiviteit.
