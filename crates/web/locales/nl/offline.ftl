# Check-in at the door: "someone else?" as a search, and the page without a network (issue #17).
door-search-label = Zoek een gezin
door-search-hint-host = Typ het begin van een voornaam, bijvoorbeeld San.
door-search-hint-staff = Typ een naam of telefoonnummer, bijvoorbeeld San of 0612345678.
door-search-found = { $count ->
    [one] 1 gezin gevonden
   *[other] { $count } gezinnen gevonden
}
door-search-none = Geen gezin gevonden. Komt het gezin voor het eerst? Voeg het toe bij Nieuw gezin.
door-search-more = Er zijn meer dan { $count } gezinnen. Typ meer van de naam.
door-search-listed = { $name } staat al op de lijst
door-search-offline = Geen verbinding. Zoeken lukt nu niet. Probeer het zo opnieuw.
door-search-back = Terug naar de lijst
