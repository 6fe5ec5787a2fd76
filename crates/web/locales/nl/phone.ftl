# In the field, on a phone (issue #17): the short worklist cards, what parents asked for on the
# session page, and the programme's calendar address to copy.
phone-more = { $count ->
    [one] Nog 1 gezin
   *[other] Nog { $count } gezinnen
}
phone-record = Vastleggen
phone-transport = Vervoer gevraagd
phone-transport-count = { $count ->
    [one] 1 gezin kan niet komen zonder vervoer
   *[other] { $count } gezinnen kunnen niet komen zonder vervoer
}
phone-copy = Kopiëren
phone-copied = Gekopieerd
