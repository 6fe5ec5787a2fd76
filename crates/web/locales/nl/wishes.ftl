# Wensen worden workshops (issue #18, docs/guide/wishes.md; handboek §3.3 "vraaggericht")
wishes-title = Wensen
wishes-lead = Wat ouders graag willen: hun ideeën uit het portaal en wat ouders jou vertelden bij het koffie-uurtje. Maak van een wens een workshop. Dan krijgen precies de gezinnen die erom vroegen of ervoor kozen een uitnodiging.
wishes-none = Nog geen wensen in deze wijk.
wish-title = Wens
wish-theme-money = Geld
wish-theme-parenting = Opvoeden
wish-theme-health_food = Gezondheid en eten
wish-theme-stress = Stress
wish-theme-social_media = Sociale media
wish-theme-work = Werk
wish-theme-other = Overig
wish-from-portal = Idee uit het portaal
wish-from-worker = Gehoord bij het koffie-uurtje
wish-demand = { $count ->
    [one] 1 ouder vroeg erom
   *[other] { $count } ouders vroegen erom
}
wish-votes = { $count ->
    [one] 1 gezin koos dit
   *[other] { $count } gezinnen kozen dit
}
wish-asked-by = Gevraagd door: { $names }
wish-asked-title = Wie vroeg erom?
wish-asked-none = Nog geen gezinnen genoemd. Vink hieronder aan wie erom vroeg. Die gezinnen krijgen een uitnodiging als je er een workshop van maakt.
wish-workshop = Workshop:
wish-came = { $came } van de { $invited } uitgenodigde gezinnen kwamen
wish-make-activity = Maak er een activiteit van
wish-make-activity-hint = Je maakt een workshop "op uitnodiging". Alle gezinnen die erom vroegen krijgen een uitnodiging. Daarna plan je de datum.
wish-theme-save = Thema opslaan
wish-new-title = Nieuwe wens
wish-new-button = Wens opslaan
wish-add-households = Welke gezinnen vroegen erom?
wish-add-households-button = Gezinnen toevoegen
field-wish-neighbourhood = Wijk
field-wish-theme = Thema
field-wish-title = Wat willen de ouders?
hint-wish-title = In een paar woorden, bijvoorbeeld "Omgaan met schulden".
field-wish-demand = Hoeveel ouders vroegen erom?
hint-wish-demand = Een getal. Leeg is 1.
field-wish-note = Notitie (mag leeg)
error-required-wish_neighbourhood = Kies een wijk.
error-choice-invalid-wish_neighbourhood = Kies een van je eigen wijken.
error-required-wish_theme = Kies een thema.
error-choice-invalid-wish_theme = Kies een thema uit de lijst.
error-choice-invalid-theme = Kies een thema uit de lijst.
error-required-theme = Kies een thema.
error-required-wish_title = Vul in wat de ouders willen.
error-too-long-wish_title = Maak de wens korter: hoogstens 120 tekens.
error-number-invalid-wish_demand = Vul bij "hoeveel ouders" een heel getal in, 1 of meer.
error-number-too-large-wish_demand = Vul bij "hoeveel ouders" hoogstens 500 in.
error-too-long-wish_note = Maak de notitie korter: hoogstens 1000 tekens.
error-required-wish_household = Vink minstens één gezin aan.
flash-wish-added = De wens "{ $name }" is opgeslagen.
flash-wish-workshop = De workshop is gemaakt en de gezinnen zijn uitgenodigd. Plan nu de datum.
timeline-activity_organiser = Organiseert mee
timeline-activity_organiser_removed = Organiseert niet meer mee
timeline-activity_invited = Uitgenodigd voor
wishes-link = Wensen van ouders: maak er een workshop van
