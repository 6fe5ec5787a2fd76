# In the field, on a phone (issue #17): the short worklist cards, what parents asked for on the
# session page, and the programme's calendar address to copy.
phone-more = { $count ->
    [one] 1 more family
   *[other] { $count } more families
}
phone-record = Record
phone-transport = Transport asked for
phone-transport-count = { $count ->
    [one] 1 family cannot come without transport
   *[other] { $count } families cannot come without transport
}
phone-copy = Copy
phone-copied = Copied
