# Check-in at the door: "someone else?" as a search, and the page without a network (issue #17).
door-search-label = Find a family
door-search-hint-host = Type the start of a first name, for example San.
door-search-hint-staff = Type a name or phone number, for example San or 0612345678.
door-search-found = { $count ->
    [one] 1 family found
   *[other] { $count } families found
}
door-search-none = No family found. Is it their first time? Add them under A new family.
door-search-more = There are more than { $count } families. Type more of the name.
door-search-listed = { $name } is on the list already
door-search-offline = No connection. Searching does not work right now. Try again in a moment.
door-search-back = Back to the list
