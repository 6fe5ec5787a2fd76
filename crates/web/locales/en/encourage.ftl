# Encourage: the weekly overview, the open tasks and what the encouragement achieved (issue #5).
# fluent-templates loads every .ftl file in this folder; a key lives in one file only.

nav-encourage = Encourage

## weekly overview
encourage-week-title = Encourage this week
encourage-week-lead = These are the sessions of the coming 7 days in your neighbourhoods. Open a worklist and send parents a personal message.
encourage-week-sessions = The coming 7 days
encourage-week-none = There are no sessions in the coming 7 days.
encourage-week-more = You see { $shown } of the { $total } sessions.
encourage-week-programme = See all sessions in the programme
encourage-week-today = today
encourage-week-tomorrow = tomorrow
encourage-week-open = Open worklist
encourage-week-worklist = See worklist
encourage-week-link = Encourage this week
encourage-week-more-title = Also for encouraging

## open tasks
encourage-tasks-title = Open tasks
encourage-tasks-lead = These families need help. Get in touch before the date of the task.
encourage-tasks-none = There are no open tasks.
encourage-tasks-more = You see { $shown } of the { $total } tasks. The oldest are at the top.
encourage-task-due = Get in touch by { $date }
encourage-task-overdue = Overdue
encourage-task-today = Today
encourage-task-no-note = There is no note.
encourage-task-household = See family
encourage-task-done = Finish task
flash-follow-up-done = The task for { $name } is finished.
timeline-follow_up_done = Task finished

## what the encouragement achieved
encourage-past-title = Last week: who came?
encourage-past-none = Last week you did not encourage anyone for a session.
encourage-effect-reached = Came: { $came } of the { $total ->
        [one] 1 family
       *[other] { $total } families
    } you reached.
encourage-effect-not-reached = Came: { $came } of the { $total ->
        [one] 1 family
       *[other] { $total } families
    } you did not reach.
encourage-effect-pending = The attendance has not been taken yet. After that you see here who came.

## worklist
encourage-last-contact-note = Last talked to: { $date } — { $note }
encourage-not-saved = This was not saved. Check your connection and try again.
