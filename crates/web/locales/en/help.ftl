# Referrals to help (docs/guide/help-referrals.md)

help-heading = Help
help-link = Refer to help
help-title = Refer to help
help-lead = Refer a family to help, such as debt help or parenting support. Only when the parent agrees.
help-list-title = Referrals
help-none = This family has not been referred yet.
help-overdue = Overdue
help-follow-up-on = Check on { $date }
help-new-title = New referral
field-help-kind = Kind of help
field-help-partner = Organisation
hint-help-partner = Optional. Only organisations that work in this family's neighbourhood.
help-no-partner = No organisation chosen
field-help-reason = Why
hint-help-reason = Short, at most 300 characters. Write down only what is needed.
field-help-consent = Does the parent agree to the referral?
help-consent-later = Still to ask
help-consent-now = Yes, the parent agreed
field-help-consent-method = How did the parent agree?
field-help-consent-on = On which day did the parent agree?
field-help-follow-up = When will you check?
hint-help-follow-up = You may leave it empty: then we pick a date that suits the step.
help-new-button = Save referral

help-referral-title = Referral
help-consent = Consent
help-consent-not-yet = Not given yet
help-withdrawn = No consent, or withdrawn
help-referred-on = Referred on
help-first-contact-on = First contact on
help-ended-on = Closed on
help-next-title = Next step
help-next-lead = Only send a referral once the parent agreed.
field-help-step = What happened?
help-step-consent = The parent agreed
help-step-decline = The parent does not want it
help-step-withdraw = The parent withdraws the consent
help-step-refer = I sent the referral
help-step-first_contact = The help has been in touch with the parent
help-step-close = Close
field-help-step-on = On which day?
hint-help-step-on = Today or earlier, not before the previous step.
field-help-step-method = How did the parent say it?
hint-help-step-method = Only when giving or withdrawing consent.
field-help-step-outcome = How did it end?
hint-help-step-outcome = Only when closing.
help-step-button = Save step
help-follow-up-title = Another date to check
help-follow-up-button = Save date
help-to-household = To the family

help-kind-debt_help = Debt help
help-kind-parenting_support = Parenting support
help-kind-youth_health_care = Youth health care
help-kind-mental_health = Mental health
help-kind-work_and_income = Work and income
help-kind-lifestyle_programme = Lifestyle programme
help-kind-other = Other help

help-state-proposed = Proposed
help-state-consented = Consent given
help-state-referred = Referred
help-state-first_contact = First contact made
help-state-closed = Closed
help-state-stopped = Stopped

help-outcome-help_started = The help has started
help-outcome-not_needed = No longer needed
help-outcome-declined = The parent decided against it
help-outcome-not_reached = The help could not reach the parent
help-outcome-consent_withdrawn = The parent withdrew the consent
help-outcome-other = Other

help-refused-no-consent = The parent has to agree first. Without consent you do not send a referral.
help-refused-ended = This referral is closed already.
help-refused-not-now = This step is not possible now. Choose one of the steps in the list.
help-refused-changed = Someone else just saved a step. Look at how it stands now and try again.

error-required-help_kind = Choose a kind of help.
error-choice-invalid-help_kind = Choose a kind of help from the list.
error-choice-invalid-help_partner = Choose an organisation from the list, or none.
error-required-help_reason = Write down briefly why you refer the family.
error-too-long-help_reason = This is too long. Use at most 300 characters.
error-required-help_consent = Choose whether the parent agreed already.
error-choice-invalid-help_consent = Choose whether the parent agreed already.
error-choice-invalid-help_consent_method = Choose how the parent agreed.
error-required-help_consent_on = Enter the day the parent agreed.
error-date-invalid-help_consent_on = Enter a date like 2026-12-04, today or earlier.
error-date-invalid-help_follow_up_on = Enter a date like 2026-12-04, from today and within a year. Or leave it empty.
error-required-step_on = Enter the day.
error-date-invalid-step_on = Enter a date like 2026-12-04: today or earlier, and not before the previous step.
error-choice-invalid-step_method = Choose how the parent said it.
error-required-step_outcome = Choose how it ended.
error-choice-invalid-step_outcome = Choose how it ended, from the list.
error-date-invalid-step_follow_up_on = Enter a date like 2026-12-04, from today and within a year. Or leave it empty.
error-required-referral_follow_up_on = Enter a date.
error-date-invalid-referral_follow_up_on = Enter a date like 2026-12-04, from today and within a year.

flash-help-created = The referral ({ $name }) was saved.
flash-help-step-consent = The consent of { $name } was recorded.
flash-help-step-withdraw = Recorded: { $name } does not want the referral (any more).
flash-help-step-refer = The referral was sent.
flash-help-step-first_contact = The first contact was recorded.
flash-help-step-close = The referral was closed.
flash-help-follow-up-set = You will check on { $name }.

timeline-help_referral_proposed = Referral to help proposed
timeline-help_referral_consented = Consent for a referral to help
timeline-help_referral_referred = Referred to help
timeline-help_referral_first_contact = First contact with the help
timeline-help_referral_closed = Referral to help closed
timeline-help_referral_stopped = Referral to help stopped
timeline-help_referral_withdrawn = Consent for a referral withdrawn

help-tasks-title = Referrals to help to check on
help-tasks-none = There are no referrals to check on.
help-task-open = View referral

# Quotes and publicity

home-publicity-link = Parents' quotes for publicity
quotes-link = The parent's quotes
quotes-title = Quotes
quotes-lead = What a parent said about Meet the Parents, for a flyer, a report or the website. Only with the parent's consent for quotes. We keep no photos.
quotes-consent-given = Consent for quotes given
quotes-consent-missing = No consent for quotes
quotes-list-title = Recorded quotes
quotes-none = There are no quotes of this family yet.
quote-hidden = Hidden
quote-hidden-lead = Quote of { $date }. It is hidden because the parent did not give (or withdrew) the consent for quotes.
quote-remove = Remove quote
quote-new-title = New quote
field-quote-text = What did the parent say?
hint-quote-text = In the parent's own words, at most 500 characters.
field-quote-attribution = How does the parent want to be named?
quote-attribution-phrase = With a description
quote-attribution-first_name = With the first name
field-quote-phrase = Description
hint-quote-phrase = As the parent wants it, for example "a mother from Almere Poort". At most 80 characters.
quote-phrase-default = a mother from { $neighbourhood }
field-quote-parent = Which parent?
hint-quote-parent = Only needed when the parent wants to be named by first name.
field-quote-said-on = On which day?
quote-new-button = Save quote
quotes-ask-consent = First ask the parent for consent for quotes. You record it with the family's consents.
quotes-to-consents = To the family
publicity-title = Quotes for publicity
publicity-lead = Parents' quotes you may use now. When a parent withdraws the consent, the quote disappears from here at once.
publicity-none = There are no quotes you may use now.
publicity-count = { $count ->
    [one] { $count } quote
   *[other] { $count } quotes
}
publicity-manage = View with the family
error-required-quote_text = Write down what the parent said.
error-too-long-quote_text = This is too long. Use at most 500 characters.
error-required-quote_attribution = Choose how the parent wants to be named.
error-choice-invalid-quote_attribution = Choose how the parent wants to be named.
error-choice-invalid-quote_parent = Choose a parent of this family.
error-required-quote_phrase = Write down how the parent wants to be named.
error-too-long-quote_phrase = This is too long. Use at most 80 characters.
error-required-quote_said_on = Enter the day.
error-date-invalid-quote_said_on = Enter a date like 2026-12-04, today or earlier.
error-quote-no-consent = This family gave no consent for quotes. Ask for it first.
flash-quote-recorded = The quote was saved.
flash-quote-removed = The quote was removed.
timeline-quote_recorded = Quote recorded
timeline-quote_removed = Quote removed
help-ended-lead = This referral has ended. There are no more steps.

# Referrals in figures (coordinators)

home-help-figures-link = Referrals to help in figures
help-figures-title = Referrals to help in figures
help-figures-lead = Referrals made since { $date }, of the families in your neighbourhoods.
help-figures-none = No family was referred in this period.
help-figures-days-explained = Days to first contact: the middle number of days between sending the referral and the help's first contact with the parent.
help-figures-by-kind = Per kind of help
help-figures-by-partner = Per organisation
help-figures-made = Made
help-figures-sent = Sent
help-figures-contact = First contact
help-figures-started = Help started
help-figures-days = Days to first contact
help-figures-total = Total
