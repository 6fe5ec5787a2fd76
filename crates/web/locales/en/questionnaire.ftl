# The parents' questionnaires and the outcomes (issue #19, docs/guide/questionnaires.md).
# Plain English (B1). The questions themselves are verbatim in crates/domain/src/questionnaire.rs.

## answers
questionnaire-health-1 = Very good
questionnaire-health-2 = Good
questionnaire-health-3 = Fair
questionnaire-health-4 = Poor
questionnaire-health-5 = Very poor
questionnaire-ynm-1 = Yes
questionnaire-ynm-2 = More or less
questionnaire-ynm-3 = No
questionnaire-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
questionnaire-source = Source: { $source }
questionnaire-unvalidated-translation = The Dutch questions are our own translation. There is no official Dutch version.

## parts
questionnaire-part-health = Health
questionnaire-part-loneliness = People around you
questionnaire-part-support = Support
questionnaire-part-activity = Being active
questionnaire-part-life_domains = How are things in these areas?
questionnaire-life-domains-intro = Give a mark from 0 to 10. 0 is very bad, 10 is very good. This is to talk about together.

## one question per page
questionnaire-progress = Question { $n } of { $total }
questionnaire-previous = Previous question
questionnaire-skip = Skip this question
questionnaire-with-worker-hint = You are filling this in with the parent. Let the parent choose.
questionnaire-done-title = Done. Thank you!
questionnaire-done-text = Your answers are saved. You can always look at them again.
questionnaire-done-back = To the answers

## the portal
questionnaire-portal-title = How are you doing?
questionnaire-portal-heading = Questionnaire
questionnaire-portal-link = Fill in the questionnaire, or look at your answers
questionnaire-why-heading = Why do we ask this?
questionnaire-why-text = We want to know if Meet the Parents helps you. So a few times a year we ask how you are doing: your health, whether you have people around you, and how active you are. It takes about 5 minutes.
questionnaire-why-skip = You do not have to answer any question. Do you not want to answer a question? Then skip it.
questionnaire-why-who = Only you and your contact person see your answers. Others only see totals of all parents together, without names.
questionnaire-start = Start the questions
questionnaire-your-answers = Your answers so far

## the answers over time
questionnaire-chart-title = Answers over time
questionnaire-chart-desc = Each time: health (1 very poor to 5 very good), loneliness (0 to 6, higher is lonelier) and support (3 to 14, higher is more support).
questionnaire-chart-empty = No answers yet
questionnaire-chart-caption = Health: higher is better. Loneliness: lower is better. Support: higher is better. The numbers are also in the table below.
questionnaire-series-health = Health
questionnaire-series-loneliness = Loneliness
questionnaire-series-support = Support
questionnaire-table-caption = Every time the questionnaire was filled in
questionnaire-col-date = Date
questionnaire-col-activity = Active enough
questionnaire-col-entered = Filled in by
questionnaire-missing = not answered
questionnaire-loneliness-value = { $total } of 6: { $category }
questionnaire-support-value = { $sum } of 14: { $category }
questionnaire-loneliness-not_lonely = not lonely
questionnaire-loneliness-moderate = moderately lonely
questionnaire-loneliness-severe = severely lonely
questionnaire-support-poor = poor support
questionnaire-support-moderate = moderate support
questionnaire-support-strong = strong support
questionnaire-activity-yes = yes
questionnaire-activity-no = no
questionnaire-entered-parent = the parent, online
questionnaire-entered-worker_paper = worker, from paper
questionnaire-entered-worker_with_parent = worker together with the parent

## the family (worker)
questionnaire-household-title = Questionnaires
questionnaire-household-link = Questionnaires
questionnaire-next-due = Next time: around { $date }.
questionnaire-none-yet = Not filled in yet.
questionnaire-with-parent = Fill in together with the parent
questionnaire-from-paper = Copy a paper questionnaire
questionnaire-answers-over-time = Answers over time
questionnaire-paper-title = Copy a paper questionnaire
questionnaire-paper-hint = Copy the answers as the parent gave them. Did the parent not answer a question? Then choose "Not answered".
questionnaire-taken-on = Date filled in
questionnaire-not-answered = Not answered
questionnaire-save = Save the answers
questionnaire-error-date = Enter the date it was filled in, for example 2026-03-01.
questionnaire-error-date-future = The date it was filled in cannot be in the future.
questionnaire-error-item = Choose one of the answers for: { $question }
questionnaire-error-answer = This answer does not fit the question.
questionnaire-error-closed = This questionnaire is closed. Start a new one.
flash-questionnaire-saved = The answers are saved.

## settings
questionnaire-interval-label = How often do we ask the questionnaire again? (months, 3 to 6)

## reports
report-outcomes-heading = Outcomes: how are the parents doing?
report-outcomes-finding = Parents who filled in the questionnaire at least twice: their first and their latest time. With fewer than 10 parents we show no figures. Small numbers make people recognisable.
report-outcomes-health = Health less than good
report-outcomes-loneliness = Loneliness
report-outcomes-support = Support
report-outcomes-first = First time
report-outcomes-latest = Latest time
report-outcomes-category = Group
report-outcomes-of-n = { $part } of { $n }
report-outcomes-change = { $first } → { $latest }
report-outcomes-n = { $n } parents with two measurements
report-outcomes-too-few = Too few parents to show ({ $n } with two measurements)
report-outcomes-health-caption = Health "fair", "poor" or "very poor", { $n } parents
report-outcomes-loneliness-caption = Loneliness, { $n } parents
report-outcomes-support-caption = Support, { $n } parents

# The organisation setting on /admin/organisation (docs/guide/questionnaires.md).
field-questionnaire-months = Questionnaires again after (months)
hint-questionnaire-months = How often we ask parents to fill in the questionnaires again. Between 3 and 6.
error-choice-invalid-questionnaire_months = Questionnaires again after: enter a number from 3 to 6.
