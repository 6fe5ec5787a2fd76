# De verwijscijfers van de rapportage en de werkmap (issue #16, docs/guide/reports.md#referrals).

report-referrals-heading = Verwijzingen
report-referrals-finding = Verwijzingen van partners naar het team, en van het team naar hulp, gemaakt in deze periode. De dagen tellen van de verwijzing tot het eerste contact (de middelste waarde).
report-referrals-in = Verwijzingen van partners
report-referrals-contact = Contact gelegd
report-referrals-joined = Kwam naar een activiteit
report-referrals-joined-share = Deel dat naar een activiteit kwam
report-referrals-days = Dagen tot eerste contact
report-referrals-out = Verwijzingen naar hulp
report-referrals-in-by-kind = Verwijzingen van partners, per soort partner
report-referrals-in-by-partner = Verwijzingen van partners, per partner
report-referrals-partner = Partner
workbook-sheet-referrals = Verwijzingen
