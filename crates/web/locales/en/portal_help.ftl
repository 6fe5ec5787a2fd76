# Referrals to help as the parent sees them in the portal (issue #16,
# docs/guide/help-referrals.md#in-the-portal). Portal keys only: the parents' words test
# reads every "portal-" key (short sentences, no staff words).

portal-help-title = Help we talked about with you
portal-help-lead = Here you see which help we talked about together. And how it is going.
portal-help-none = We did not talk about help with you.
portal-help-to = With: { $name }
portal-help-no-partner = We did not choose an organisation yet.
portal-help-since = Since { $date }
portal-help-ask = Do you have a question about this? Call or text your contact person.
portal-help-kind-debt_help = Help with money and debts
portal-help-kind-parenting_support = Help with raising children
portal-help-kind-youth_health_care = Baby clinic or youth doctor
portal-help-kind-mental_health = Help when you do not feel well
portal-help-kind-work_and_income = Help with work and income
portal-help-kind-lifestyle_programme = Help with a healthy life
portal-help-kind-other = Other help
portal-help-state-proposed = We suggested this. You decide if it goes ahead.
portal-help-state-consented = You said yes. We will pass it on soon.
portal-help-state-referred = We passed it on. They will get in touch with you.
portal-help-state-first_contact = They have been in touch with you.
portal-help-state-closed = This is finished.
portal-help-state-stopped = This has stopped.
portal-came-through = Who brought you to us
