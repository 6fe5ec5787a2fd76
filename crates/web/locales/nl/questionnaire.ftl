# De vragenlijsten van de ouders en de uitkomsten (issue #19, docs/guide/questionnaires.md).
# Eenvoudig Nederlands (B1). De vragen zelf staan woord voor woord in crates/domain/src/questionnaire.rs.

## antwoorden
questionnaire-health-1 = Zeer goed
questionnaire-health-2 = Goed
questionnaire-health-3 = Gaat wel
questionnaire-health-4 = Slecht
questionnaire-health-5 = Zeer slecht
questionnaire-ynm-1 = Ja
questionnaire-ynm-2 = Min of meer
questionnaire-ynm-3 = Nee
questionnaire-days = { $count ->
    [one] 1 dag
   *[other] { $count } dagen
}
questionnaire-source = Bron: { $source }
questionnaire-unvalidated-translation = De Nederlandse vragen zijn onze eigen vertaling. Er is geen officiële Nederlandse versie.

## onderdelen
questionnaire-part-health = Gezondheid
questionnaire-part-loneliness = Mensen om je heen
questionnaire-part-support = Steun
questionnaire-part-activity = Bewegen
questionnaire-part-life_domains = Hoe gaat het op deze gebieden?
questionnaire-life-domains-intro = Geef een cijfer van 0 tot 10. 0 is heel slecht, 10 is heel goed. Dit is om samen over te praten.

## één vraag per pagina
questionnaire-progress = Vraag { $n } van { $total }
questionnaire-previous = Vorige vraag
questionnaire-skip = Sla deze vraag over
questionnaire-with-worker-hint = Je vult dit samen met de ouder in. Laat de ouder zelf kiezen.
questionnaire-done-title = Klaar. Dank je wel!
questionnaire-done-text = Je antwoorden zijn bewaard. Je kunt ze altijd terugzien.
questionnaire-done-back = Naar de antwoorden

## de portal
questionnaire-portal-title = Hoe gaat het met je?
questionnaire-portal-heading = Vragenlijst
questionnaire-portal-link = Vul de vragenlijst in, of bekijk je antwoorden
questionnaire-why-heading = Waarom vragen we dit?
questionnaire-why-text = We willen weten of Meet the Parents je helpt. Daarom vragen we een paar keer per jaar hoe het met je gaat: je gezondheid, of je mensen om je heen hebt, en hoeveel je beweegt. Het duurt ongeveer 5 minuten.
questionnaire-why-skip = Je hoeft geen vraag te beantwoorden. Wil je een vraag niet beantwoorden? Sla hem dan over.
questionnaire-why-who = Alleen jij en je contactpersoon zien je antwoorden. Anderen zien alleen totalen van alle ouders samen, zonder namen.
questionnaire-start = Begin met de vragen
questionnaire-your-answers = Je antwoorden tot nu toe

## de antwoorden door de tijd
questionnaire-chart-title = Antwoorden door de tijd
questionnaire-chart-desc = Per keer: gezondheid (1 zeer slecht tot 5 zeer goed), eenzaamheid (0 tot 6, hoger is eenzamer) en steun (3 tot 14, hoger is meer steun).
questionnaire-chart-empty = Nog geen antwoorden
questionnaire-chart-caption = Gezondheid: hoger is beter. Eenzaamheid: lager is beter. Steun: hoger is beter. De cijfers staan ook in de tabel hieronder.
questionnaire-series-health = Gezondheid
questionnaire-series-loneliness = Eenzaamheid
questionnaire-series-support = Steun
questionnaire-table-caption = Alle keren dat de vragenlijst is ingevuld
questionnaire-col-date = Datum
questionnaire-col-activity = Genoeg bewegen
questionnaire-col-entered = Ingevuld door
questionnaire-missing = niet beantwoord
questionnaire-loneliness-value = { $total } van 6: { $category }
questionnaire-support-value = { $sum } van 14: { $category }
questionnaire-loneliness-not_lonely = niet eenzaam
questionnaire-loneliness-moderate = matig eenzaam
questionnaire-loneliness-severe = erg eenzaam
questionnaire-support-poor = weinig steun
questionnaire-support-moderate = gemiddelde steun
questionnaire-support-strong = veel steun
questionnaire-activity-yes = ja
questionnaire-activity-no = nee
questionnaire-entered-parent = de ouder zelf, online
questionnaire-entered-worker_paper = medewerker, van papier
questionnaire-entered-worker_with_parent = medewerker samen met de ouder

## het gezin (medewerker)
questionnaire-household-title = Vragenlijsten
questionnaire-household-link = Vragenlijsten
questionnaire-next-due = De volgende keer: rond { $date }.
questionnaire-none-yet = Nog niet ingevuld.
questionnaire-with-parent = Samen met de ouder invullen
questionnaire-from-paper = Papieren vragenlijst overnemen
questionnaire-answers-over-time = Antwoorden door de tijd
questionnaire-paper-title = Papieren vragenlijst overnemen
questionnaire-paper-hint = Neem de antwoorden over zoals de ouder ze gaf. Heeft de ouder een vraag niet beantwoord? Kies dan "Niet beantwoord".
questionnaire-taken-on = Datum van invullen
questionnaire-not-answered = Niet beantwoord
questionnaire-save = Bewaar de antwoorden
questionnaire-error-date = Vul de datum van invullen in, bijvoorbeeld 2026-03-01.
questionnaire-error-date-future = De datum van invullen kan niet in de toekomst liggen.
questionnaire-error-item = Kies een van de antwoorden bij: { $question }
questionnaire-error-answer = Dit antwoord past niet bij de vraag.
questionnaire-error-closed = Deze vragenlijst is gesloten. Begin een nieuwe.
flash-questionnaire-saved = De antwoorden zijn bewaard.

## instellingen
questionnaire-interval-label = Hoe vaak vragen we de vragenlijst opnieuw? (maanden, 3 tot 6)

## rapportage
report-outcomes-heading = Uitkomsten: hoe gaat het met de ouders?
report-outcomes-finding = Ouders die de vragenlijst minstens twee keer invulden: hun eerste en hun laatste keer. Zijn het minder dan 10 ouders, dan laten we geen cijfers zien. Kleine aantallen maken mensen herkenbaar.
report-outcomes-health = Gezondheid minder dan goed
report-outcomes-loneliness = Eenzaamheid
report-outcomes-support = Steun
report-outcomes-first = Eerste keer
report-outcomes-latest = Laatste keer
report-outcomes-category = Groep
report-outcomes-of-n = { $part } van { $n }
report-outcomes-change = { $first } → { $latest }
report-outcomes-n = { $n } ouders met twee metingen
report-outcomes-too-few = Te weinig ouders om te tonen ({ $n } met twee metingen)
report-outcomes-health-caption = Gezondheid "gaat wel", "slecht" of "zeer slecht", { $n } ouders
report-outcomes-loneliness-caption = Eenzaamheid, { $n } ouders
report-outcomes-support-caption = Steun, { $n } ouders

# The organisation setting on /admin/organisation (docs/guide/questionnaires.md).
field-questionnaire-months = Vragenlijsten opnieuw na (maanden)
hint-questionnaire-months = Zo vaak vragen we ouders de vragenlijsten opnieuw in te vullen. Tussen 3 en 6.
error-choice-invalid-questionnaire_months = Vragenlijsten opnieuw na: vul een getal in van 3 tot en met 6.
