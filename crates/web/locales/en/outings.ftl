# Series, planning from the parents' time, holiday activities and outings (issue #18).

## Series: how often
field-repeat = How often
repeat-w1 = Every week
repeat-w2 = Every other week
repeat-w3 = Every 3 weeks
repeat-w4 = Every 4 weeks
repeat-w5 = Every 5 weeks
repeat-w6 = Every 6 weeks
repeat-w7 = Every 7 weeks
repeat-w8 = Every 8 weeks
repeat-m1 = Once a month, the first of the month
repeat-m2 = Once a month, the second of the month
repeat-m3 = Once a month, the third of the month
repeat-m4 = Once a month, the fourth of the month
repeat-m5 = Once a month, the last of the month
plan-series-title = Plan a series
plan-series-hint = Choose the day and how often. For example a cooking workshop once a month on the second Thursday. Sessions already planned stay as they are.

## Planning from the parents' time
weekday-fit-option = { $day } ({ $count } can come)
weekday-fit-title = Which day suits the parents?
weekday-fit-hint = { $count ->
    [0] No families take part yet (came 3 times or more in the past year). So there is nothing to count yet.
    [one] 1 family takes part (came 3 times or more in the past year). After each day you see whether that family can come.
   *[other] { $count } families take part (came 3 times or more in the past year). After each day you see how many of them can come. Parents who work can come on the free days recorded for the family.
}
weekday-fit-day = Day
weekday-fit-can-come = Families who can come

## Holiday activities: the organisation's list
holiday-fathers-day = Father's Day
holiday-keti-koti = Keti Koti
holiday-suikerfeest = Eid al-Fitr (Suikerfeest)
nth-m1 = the first
nth-m2 = the second
nth-m3 = the third
nth-m4 = the fourth
nth-m5 = the last
holiday-rule-fixed = Every year on { $day } { $month }
holiday-rule-nth = Every year on { $which } of { $month }
holiday-rule-entered = The date changes every year: { $name }
holiday-rule-entered-none = The date changes every year. Enter this year's date.
holiday-list-title = Holidays for activities
holiday-list-lead = For these holidays we suggest an activity 6 weeks ahead. Parents like to organise it themselves. Take off what does not suit your neighbourhood and add what the families celebrate.
holiday-list-link = Change the holidays
holiday-list-next = next time { $name }
holiday-list-hidden = Not on the list
holiday-list-hide = Take off the list
holiday-list-show = Put back on the list
holiday-list-date = Date of { $name }
holiday-list-date-save = Save the date
holiday-list-add-title = Add a holiday
holiday-list-name = Name of the holiday
holiday-list-fixed-day = Day and month
holiday-list-fixed-day-hint = For example 1-7 for 1 July. Leave empty if the date changes every year, like Eid al-Fitr. Then you enter the date for each year.
holiday-list-add = Add
flash-holiday-list-added = Added to the list: { $name }.
activity-organisers-title = Parents who help organise
activity-organisers-hint = Do parents help organise this? Choose the families of the neighbourhood who help. This also shows who contributes.
holiday-organisers-title = Parents who organise this
holiday-organisers-hint = Parents like to organise the holiday activity themselves. Choose one or more families of the neighbourhood.

## Outings
outing-organisers-title = Parents who organise it with you
outing-organisers-hint = You organise an outing together with the parents. Choose the families of the neighbourhood who help.
outing-organisers-none = Nobody yet.
outing-organiser-field = Family
outing-organiser-add = Add as organiser
outing-organiser-remove = Remove
flash-organiser-added = The family helps organise.
flash-organiser-removed = The family is no longer an organiser.
outing-title = The outing
outing-plan-title = Plan the outing
outing-change-title = Change the outing
outing-destination = Where are we going?
outing-date = Date
outing-date-hint = We plan the outing on this day.
outing-no-date = No date yet.
outing-meeting-point = Meeting point
outing-public-transport = Public transport
outing-public-transport-hint = For example: bus 22 from the station, 10:15.
outing-coming = Who is coming
outing-coming-count = { $families } families, { $people } people
outing-ticket = Entrance per person
outing-ticket-hint = In euros, like 7.50. For parents and children.
outing-transport = Transport, all together
outing-transport-hint = In euros. For example a van or fuel money.
outing-subsidy = Subsidy or a fund's contribution
outing-subsidy-hint = In euros. What a fund, the municipality or the organisation pays.
outing-affordable = What a family can pay
outing-affordable-hint = In euros per family. Agree on this with the group.
outing-save = Save
flash-outing-saved = The outing is saved.
outing-zero-euros = €0.00
outing-budget-title = What does it cost per family?
outing-total = Total (entrance and transport)
outing-to-pay = After the subsidy
outing-per-family = Per family
outing-cost-unknown = Fill in the outing and plan the date. Then we work out what it costs per family.
outing-fits = This fits what the families can pay.
outing-does-not-fit = This is more than the families can pay. { $name } more subsidy is needed, or choose a cheaper outing.
outing-transport-title = Transport
outing-seats = { $seats ->
    [one] 1 seat in a car.
   *[other] { $seats } seats in cars.
} { $short ->
    [0] Everyone who needs a lift can come.
    [one] 1 more seat needed.
   *[other] { $short } more seats needed.
}
outing-seats-of = { $name } seats
outing-drivers = Who drives?
outing-drivers-none = Nobody yet.
outing-lifts = Families who need a lift
outing-lifts-none = None.
outing-lift-from-answer = said: cannot come for want of transport
outing-ride-kind = What do you want to add?
outing-ride-driver = Someone who drives
outing-ride-lift = A family that needs a lift
outing-ride-household = Family of the neighbourhood
outing-driver-name = Or: name of a volunteer who drives
outing-driver-name-hint = Only when the driver is not a parent of the neighbourhood.
outing-seats-field = Number of seats
outing-seats-hint = For someone who drives: 1 to 8.
outing-ride-add = Add
flash-ride-added = Added to transport.
flash-ride-removed = Removed from transport.
outing-remove = Remove
outing-children-title = Children who come along
outing-children-summary = { $children } children and { $adults } parents. Make sure there are enough adults to look after them.
outing-age-band = Age
outing-children-count = Number of children
outing-checklist-title = Checklist
outing-checklist-none = Nothing on the checklist yet.
outing-check-tickets = Tickets booked or bought
outing-check-transport = Transport arranged
outing-check-meeting-point = Meeting point and time sent to the families
outing-check-emergency-numbers = Emergency phone numbers at hand
outing-check-first-aid = First-aid kit packed
outing-check-done = Done
outing-check-open = To do
outing-check-tick = Tick off
outing-check-undo = Undo
outing-check-field = Add something to the checklist
outing-check-add = Add
outing-after-title = After the outing
outing-after-hint = After the day you see here who came. Record attendance on the session's page.
outing-came-count = { $name ->
    [0] Nobody came.
    [one] 1 family came:
   *[other] { $name } families came:
}
outing-costs-title = Costs booked
outing-costs-none = No costs booked yet.
outing-costs-ledger = A cost you book here is also in the budget's expenses, under Activity costs and in this outing's own budget. Removing it reverses the expense there.
outing-cost-description = What for
outing-cost-amount = Amount
outing-cost-amount-hint = In euros, like 42.50.
outing-cost-date = Date
outing-cost-book = Book the cost
outing-costs-total = Total
flash-cost-booked = The cost is booked.
flash-cost-removed = The cost is removed.

## The own budget of an outing or workshop (only for those who see the budget)
outing-own-title = Own budget { $year }
outing-own-budget = Own budget
outing-own-spent = Spent
outing-own-forecast = Expected once all its sessions are held
outing-own-left = Left
outing-own-over = Spent over the own budget
outing-own-none = There is no own budget for { $year }. Spent so far: { $spent }.
outing-own-change = Change the own budget on the budget page
outing-own-set = Give it an own budget on the budget page

## Field messages
error-choice-invalid-repeat = Choose how often the session takes place.
error-required-destination = Fill in where the outing goes.
error-required-organiser = Choose a family of the neighbourhood.
error-choice-invalid-organiser = Choose a family of this activity's neighbourhood.
error-required-ride_household = Choose a family of the neighbourhood, or fill in the driver's name.
error-choice-invalid-ride_household = Choose a family of this activity's neighbourhood.
error-choice-invalid-seats = Fill in a number of seats from 1 to 8.
error-required-seats = Fill in how many seats the car has.
error-required-check_label = Fill in what goes on the checklist.
error-required-cost_description = Fill in what the cost is for.
error-required-cost_amount = Fill in the amount.
error-required-holiday_name = Fill in the name of the holiday.
error-date-invalid-fixed_day = Fill in a day and month, like 1-7 for 1 July.
flash-not-an-outing = This is only for an outing or a holiday activity.
