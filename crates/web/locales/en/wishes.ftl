# Wishes become workshops (issue #18, docs/guide/wishes.md; handbook §3.3)
wishes-title = Wishes
wishes-lead = What parents would like: their ideas from the portal and what parents told you at the coffee hour. Turn a wish into a workshop. Then exactly the families who asked for it or chose it get an invitation.
wishes-none = No wishes in this neighbourhood yet.
wish-title = Wish
wish-theme-money = Money
wish-theme-parenting = Parenting
wish-theme-health_food = Health and food
wish-theme-stress = Stress
wish-theme-social_media = Social media
wish-theme-work = Work
wish-theme-other = Other
wish-from-portal = Idea from the portal
wish-from-worker = Heard at the coffee hour
wish-demand = { $count ->
    [one] 1 parent asked for it
   *[other] { $count } parents asked for it
}
wish-votes = { $count ->
    [one] 1 family chose this
   *[other] { $count } families chose this
}
wish-asked-by = Asked by: { $names }
wish-asked-title = Who asked for it?
wish-asked-none = No families named yet. Tick below who asked for it. Those families get an invitation when you turn it into a workshop.
wish-workshop = Workshop:
wish-came = { $came } of the { $invited } invited families came
wish-make-activity = Turn it into an activity
wish-make-activity-hint = You make a workshop "by invitation". All families who asked for it get an invitation. Then you plan the date.
wish-theme-save = Save theme
wish-new-title = New wish
wish-new-button = Save wish
wish-add-households = Which families asked for it?
wish-add-households-button = Add families
field-wish-neighbourhood = Neighbourhood
field-wish-theme = Theme
field-wish-title = What do the parents want?
hint-wish-title = In a few words, for example "Dealing with debt".
field-wish-demand = How many parents asked for it?
hint-wish-demand = A number. Empty means 1.
field-wish-note = Note (may be empty)
error-required-wish_neighbourhood = Choose a neighbourhood.
error-choice-invalid-wish_neighbourhood = Choose one of your own neighbourhoods.
error-required-wish_theme = Choose a theme.
error-choice-invalid-wish_theme = Choose a theme from the list.
error-choice-invalid-theme = Choose a theme from the list.
error-required-theme = Choose a theme.
error-required-wish_title = Fill in what the parents want.
error-too-long-wish_title = Make the wish shorter: at most 120 characters.
error-number-invalid-wish_demand = Fill in a whole number for "how many parents", 1 or more.
error-number-too-large-wish_demand = Fill in at most 500 for "how many parents".
error-too-long-wish_note = Make the note shorter: at most 1000 characters.
error-required-wish_household = Tick at least one family.
flash-wish-added = The wish "{ $name }" has been saved.
flash-wish-workshop = The workshop has been made and the families are invited. Now plan the date.
timeline-activity_organiser = Co-organises
timeline-activity_organiser_removed = No longer co-organises
timeline-activity_invited = Invited to
wishes-link = Parents' wishes: turn them into a workshop
