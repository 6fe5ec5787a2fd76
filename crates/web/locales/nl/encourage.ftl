# Aanmoedigen: het weekoverzicht, de open taken en wat het aanmoedigen opleverde (issue #5).
# fluent-templates laadt elk .ftl-bestand in deze map; een sleutel staat in maar één bestand.

nav-encourage = Aanmoedigen

## weekoverzicht
encourage-week-title = Aanmoedigen deze week
encourage-week-lead = Dit zijn de bijeenkomsten van de komende 7 dagen in jouw wijken. Open een werklijst en stuur ouders een persoonlijk bericht.
encourage-week-sessions = De komende 7 dagen
encourage-week-none = Er zijn de komende 7 dagen geen bijeenkomsten.
encourage-week-more = Je ziet { $shown } van de { $total } bijeenkomsten.
encourage-week-programme = Bekijk alle bijeenkomsten in het programma
encourage-week-today = vandaag
encourage-week-tomorrow = morgen
encourage-week-open = Werklijst openen
encourage-week-worklist = Werklijst bekijken
encourage-week-link = Aanmoedigen deze week
encourage-week-more-title = Ook voor het aanmoedigen

## open taken
encourage-tasks-title = Open taken
encourage-tasks-lead = Deze gezinnen hebben hulp nodig. Neem contact op voor de datum bij de taak.
encourage-tasks-none = Er zijn geen open taken.
encourage-tasks-more = Je ziet { $shown } van de { $total } taken. De oudste staan bovenaan.
encourage-task-due = Contact opnemen uiterlijk { $date }
encourage-task-overdue = Te laat
encourage-task-today = Vandaag
encourage-task-no-note = Er is geen notitie.
encourage-task-household = Gezin bekijken
encourage-task-done = Taak afronden
flash-follow-up-done = De taak voor { $name } is afgerond.
timeline-follow_up_done = Taak afgerond

## wat het aanmoedigen opleverde
encourage-past-title = Vorige week: wie kwam er?
encourage-past-none = Vorige week heb je niemand aangemoedigd voor een bijeenkomst.
encourage-effect-reached = Gekomen: { $came } van { $total ->
        [one] het 1 gezin
       *[other] de { $total } gezinnen
    } die je hebt bereikt.
encourage-effect-not-reached = Gekomen: { $came } van { $total ->
        [one] het 1 gezin
       *[other] de { $total } gezinnen
    } die je niet hebt bereikt.
encourage-effect-pending = De aanwezigheid is nog niet ingevuld. Daarna zie je hier wie er kwam.

## werklijst
encourage-last-contact-note = Laatst gesproken: { $date } — { $note }
encourage-not-saved = Dit is niet opgeslagen. Controleer je verbinding en probeer het opnieuw.
