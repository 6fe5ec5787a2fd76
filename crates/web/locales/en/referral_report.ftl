# The referral figures of the report and its workbook (issue #16, docs/guide/reports.md#referrals).

report-referrals-heading = Referrals
report-referrals-finding = Referrals from partners to the team, and from the team to help, made in this period. The days count from the referral to the first contact (the middle value).
report-referrals-in = Referrals from partners
report-referrals-contact = Contact made
report-referrals-joined = Joined an activity
report-referrals-joined-share = Share that joined an activity
report-referrals-days = Days to first contact
report-referrals-out = Referrals to help
report-referrals-in-by-kind = Referrals from partners, by kind of partner
report-referrals-in-by-partner = Referrals from partners, by partner
report-referrals-partner = Partner
workbook-sheet-referrals = Referrals
