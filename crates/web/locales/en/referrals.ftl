# Referrals from partners to the team (issue #16, docs/guide/referrals.md). Plain B1 English.
# fluent-templates loads every .ftl file in this folder; a key lives in one file only.

nav-referrals = Referrals
home-referrals-link = Referrals from partners


## the partner's form
referral-new-title = Refer a parent
referral-new-lead = Do you know a parent who would like to meet other parents? Tell us. We will get in touch.
referral-new-next = The parent first gets a message from us. Only when the parent says "yes" on their own phone do we get in touch.
referral-new-submit = Send referral
field-referral-first-name = Parent's first name
field-referral-reach = Parent's phone number or email address
hint-referral-reach = For example 06-12345678 or name@example.nl
field-referral-need = What is the parent looking for?
hint-referral-need = Short, in a few words. For example: to get to know other mothers. Do not write medical or other sensitive things here.
field-referral-neighbourhood = Which neighbourhood does the parent live in?
field-referral-agreed = The parent agrees that the team gets in touch
error-required-reach = Enter a phone number or an email address.
error-contact-invalid-reach = This is not a valid phone number or email address. For example 06-12345678 or name@example.nl.
error-required-need = Write briefly what the parent is looking for.
error-too-long-need = This is too long. Use at most 300 characters.
error-required-neighbourhood_id = Choose the parent's neighbourhood.
error-choice-invalid-neighbourhood_id = Choose a neighbourhood from the list.
error-required-agreed = Only refer a parent who agrees. Then tick the box.
flash-referral-created = Thank you. The referral of { $name } was sent.

## the partner's list
referrals-title = My referrals
referrals-lead = Here you see how it goes with the parents you referred.
referrals-none = You have not referred anyone yet.
referrals-count = { $count ->
    [one] { $count } referral
   *[other] { $count } referrals
}
referrals-privacy = You only see whether there is contact and whether the parent came to an activity. We tell no more: that is private.
referral-no-name = Referral
referral-since = since { $date }
referral-referred-on = Referred on { $date }
referral-status-received = Received
referral-status-contact-made = Contact made
referral-status-joined = Joined an activity
referral-status-did-not-join = Did not join

## the team
referrals-inbox-title = Referrals from partners
referrals-inbox-lead = Parents a partner referred to you. Send the parent a link. Only when the parent says "yes" do you see more.
referrals-inbox-none = There are no open referrals.
referral-title = Referral
referral-partner = Referred by
referral-neighbourhood = Neighbourhood
referral-referred = Referred on
referral-state-waiting = Referral waiting for the parent's confirmation
referral-state-confirmed = The parent said yes: make it a family
referral-state-declined = The parent said no
referral-state-expired = Expired without an answer
referral-state-household = Became a family
referral-waiting-explain = Send the parent a link. The parent says yes or no on their own phone. Without an answer the referral expires on { $date }. Then we remove the details.
referral-link-made-on = Link made on { $date }
referral-link-make = Make a link for the parent
referral-link-again = Make a new link (the old one stops working)
referral-household-heading = Make a new family
referral-household-make = Make family
referral-merge-heading = Or: add it to a family you already know
referral-merge-lead = These families in the neighbourhood look alike. Choose the right family.
referral-merge-none = We found no family in the neighbourhood with this name or number.
referral-merge-into = Add to { $name }
referral-to-household = Go to the family
referral-closed = This referral is closed. The parent's details are removed.
referral-refused-not-waiting = The parent has already answered, or the referral expired.
referral-refused-not-confirmed = The parent has not confirmed yet, or it is already a family.
referral-refused-other-neighbourhood = That family lives in another neighbourhood.
flash-referral-refused = That did not work. { $name }
flash-referral-household = { $name } is now in the register.
flash-referral-merged = The referral of { $name } is now with the family.
timeline-referral = Signed up through a partner's referral
timeline-referral_merged = Partner's referral added

## the parent's link
referral-link-title = Link for the parent
referral-link-lead = Send this link to the parent. The link works once.
referral-link-copy = Or copy the link:
referral-link-next = The parent says yes or no. After yes you see the referral with the phone number or email address. Then you can make it a family.
referral-link-message = Hello { $name }, you heard about Meet the Parents: parents in the neighbourhood who meet each other. Would you like us to get in touch? Tell us here: { $url }
referral-link-mail-subject = Would you like to meet other parents?
referral-send-whatsapp = Send { $name } a WhatsApp message
referral-send-sms = Send { $name } a text message
referral-send-email = Send { $name } an email

## the parent's page
referral-answer-title = Meet other parents
referral-answer-hello = Hello { $name },
referral-answer-lead = { $partner } told us you might like to meet other parents. We are { $org }.
referral-answer-question = Would you like someone from our team in { $neighbourhood } to get in touch with you?
referral-answer-yes = Yes, get in touch with me
referral-answer-no = No, rather not
referral-answer-privacy = If you say no, we remove your name and number at once.
referral-answer-thanks-yes = Thank you! Someone from our team will get in touch with you soon.
referral-answer-thanks-no = All right. We removed your name and number. You will not hear from us again.
referral-answer-used = You have already answered. Thank you.
referral-answer-expired = This link no longer works. Would you still like to meet other parents? Ask the school or organisation that told us about you.
referral-answer-unknown = This link does not work. Check that you copied the whole link.

## e-mail
referral-link-mail = Send the link by email
referral-refused-no-email = The partner gave no email address.
flash-referral-mailed = The link for { $name } goes by email.
reminders-kind-referral = Link for a referred parent

## the register's source (issue #16)
source-partner = Through another partner organisation
