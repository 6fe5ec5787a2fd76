# Referrals to help as the parent sees them in the portal (issue #16,
# docs/guide/help-referrals.md#in-the-portal). Portal keys only: the parents' words test
# reads every "portal-" key (short sentences, no staff words).

portal-help-title = Hulp die we met je bespraken
portal-help-lead = Hier zie je welke hulp we samen bespraken. En hoe het ermee staat.
portal-help-none = We bespraken geen hulp met je.
portal-help-to = Bij: { $name }
portal-help-no-partner = We kozen nog geen organisatie.
portal-help-since = Sinds { $date }
portal-help-ask = Heb je een vraag hierover? Bel of app je contactpersoon.
portal-help-kind-debt_help = Hulp bij geldzaken en schulden
portal-help-kind-parenting_support = Hulp bij opvoeden
portal-help-kind-youth_health_care = Consultatiebureau of jeugdarts
portal-help-kind-mental_health = Hulp als je je niet goed voelt
portal-help-kind-work_and_income = Hulp bij werk en inkomen
portal-help-kind-lifestyle_programme = Hulp bij gezond leven
portal-help-kind-other = Andere hulp
portal-help-state-proposed = We stelden dit voor. Jij beslist of het doorgaat.
portal-help-state-consented = Je zei ja. We geven het snel door.
portal-help-state-referred = We gaven het door. Zij nemen contact met je op.
portal-help-state-first_contact = Zij hadden al contact met je.
portal-help-state-closed = Dit is klaar.
portal-help-state-stopped = Dit is gestopt.
portal-came-through = Via wie kwam je bij ons
