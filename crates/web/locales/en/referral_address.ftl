# Secret referral addresses for partners without an account (issue #16,
# docs/guide/referrals.md#a-referral-address). Plain B1 English.

## the partner's page (coordinators)
referral-address-heading = Referral address
referral-address-lead = A partner without an account can refer parents through a secret web address. Give the address only to the partner. Anyone with the address can use the form.
referral-address-none = This partner has no referral address.
referral-address-made-on = The referral address works. Made on { $date }.
referral-address-revoked-on = The referral address was stopped on { $date }.
referral-address-make = Make a referral address
referral-address-renew = Make a new address (the old one stops working)
referral-address-revoke = Stop the referral address
flash-referral-address-revoked = The referral address no longer works.
referral-address-made-title = New referral address
referral-address-made-lead = Give this address to the partner. You see it only now. We do not keep it.
referral-address-made-next = The partner opens the address and fills in the form. The parent then gets a link from you, as with other referrals. Lost the address? Make a new one.

## the form behind the address
refer-title = Refer a parent
refer-address-for = You refer for { $partner }, to { $org }.
field-refer-referrer-email = Your own email address
hint-refer-referrer-email = We send you a short message about how it goes. Only: received, contact made, joined or did not join.
error-required-referrer_email = Enter your own email address.
error-email-invalid-referrer_email = This is not a valid email address. For example name@school.nl.
refer-leave-empty = Leave this field empty
refer-error-check = Check the form and send it again.
refer-gone = This referral address no longer works. Ask the team for a new address.
refer-limited = Many referrals were sent from here. Try again later, or call the team.
refer-thanks = Thank you. We received the referral. You get an email with a link. There you see how it goes.
refer-mail-subject = Your referral was received
refer-mail-text = Thank you for your referral for { $partner }. Here you see how it goes: { $url }

## the referrer's status link
referral-status-title = Your referral
referral-status-unknown = This link does not work. Check that you copied the whole link.
refer-mail-status-subject = News about your referral: { $status }
refer-mail-status-now = How it goes now: { $status }.
refer-mail-status-text = This is about your referral for { $partner }. See more here: { $url }
