# The handbook's rules as the handbook says them (issue #17).

## Second worker (handbook §3.3: "Als de groep groot is (+10) is een tweede animator wenselijk")
second-worker-parents = More than 10 parents are coming and no second community worker has confirmed yet. Ask a second community worker.
second-worker-parents-hint = The handbook means the group of parents: children do not count. A community worker counts once they have confirmed.

## Workshops (handbook §3.3: "op maat")
audience-workshop-hint = A workshop is "made to measure": fitted to its topic. It may be for a broad group. Choose who it is for: everyone, single-parent families only, or by invitation.

## Staff minutes
staff-minutes-from-handbook = From the handbook
staff-minutes-own-estimate = The organisation's own estimate
staff-minutes-form-hint = Only for the coffee hour does the handbook give the time: 1 hour to prepare, 1 hour to run and 1 hour to wrap up. For the other activities this form starts from your organisation's estimate. An administrator changes it in the organisation settings.
staff-minutes-settings = The community worker's time per session
staff-minutes-settings-hint = In minutes, per session. The activity form starts from these numbers. The handbook gives the time for the coffee hour only. For the other activities it is your own estimate.
staff-minutes-coffee-hour = Coffee hour:
staff-minutes-coffee-hour-figures = 60 minutes to prepare, 60 minutes to run, 60 minutes to wrap up.
staff-minutes-invalid = Enter a number of minutes from 0 to 600.

## Even stil (quiet): proposed on the start page, never set by itself
quiet-heading = Quiet for now?
quiet-hint = These families came at least 3 times, but not in the last 8 weeks. Mark a family as quiet for now if that is right. Or dismiss the proposal: it only comes back when the family came again and then stayed away for 8 weeks once more.
# Always three visits or more (`mtp_domain::quiet::TOOK_PART_VISITS`): one form.
quiet-why = Came { $visits } times, last on { $date }.
quiet-confirm = Mark as quiet for now
quiet-dismiss = Not needed
quiet-reason = Proposed: not come for { $weeks } weeks
flash-quiet-confirmed = { $name } is marked as quiet for now.
flash-quiet-dismissed = The proposal for { $name } has been dismissed.
flash-quiet-gone = There is no proposal for { $name } any more. Perhaps the family came again, or a colleague answered first.
