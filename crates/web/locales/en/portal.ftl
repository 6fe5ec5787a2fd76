# Parent portal. Plain English; no words like RSVP, session or module.

portal-nav-home = My overview
portal-nav-activities = Activities
portal-nav-ideas = Ideas
portal-nav-data = My details
portal-optional = (you may skip this)
portal-none = Not known

portal-login-title = Sign in for parents
portal-login-lead = You get a personal link. You sign in with that link. You do not need a password.
portal-field-contact = Your email address or phone number
portal-hint-contact = For example sanne@example.nl or 06-12 34 56 78
portal-login-submit = Send me a link
portal-login-sent-title = Check your email
portal-login-sent = If we know you, we send you an email with a link. Did you fill in a phone number? Then your contact person sends you the link by WhatsApp or text message.
portal-login-sent-next = The link works for 7 days and only once. No message? Ask your contact person at the coffee hour.
portal-login-limited = You have asked for a link a few times already. Please try again in 15 minutes.
error-required-contact = Fill in your email address or phone number
error-contact-invalid = Fill in an email address, like sanne@example.nl, or a phone number, like 06-12 34 56 78

portal-link-title = Sign in
portal-link-lead = Press the button to sign in. You stay signed in on this phone.
portal-link-submit = Sign in
portal-link-expired-title = This link no longer works
portal-link-expired = This link is too old or was stopped. Ask for a new link.
portal-link-used = This link has been used already. A link works only once. Ask for a new link.
portal-link-unknown = We do not know this link. Check that you used the whole link, or ask for a new one.
portal-link-valid = Press the button to sign in.
portal-link-new = Ask for a new link
portal-link-mail-subject = Your link for Meet the Parents
portal-link-mail-text = Hello { $name },

    Use this link to sign in to Meet the Parents:
    { $url }

    The link works for 7 days and only once. Did you not ask for this link? Then you do not need to do anything.
portal-link-message = Hello { $name }! With this link you see what is on at Meet the Parents. You can also let us know if you are coming: { $url } (the link works for 7 days)

portal-unlock-title = Enter your PIN
portal-unlock-hint = The 4 to 6 digits you chose yourself
portal-unlock-submit = Continue
portal-unlock-other = I am someone else
portal-pin-wrong = This PIN is not right. You can try { $count ->
        [one] 1 more time
       *[other] { $count } more times
    }.

portal-home-title = My overview
portal-hello = Hello { $name }
portal-next = Next time
portal-coming = Coming up
portal-all-activities = All activities
portal-nothing-planned = Nothing is planned right now. Please look again later.
portal-yes = I'm coming
portal-no = I can't come
portal-change = Change
portal-add-to-calendar = Add to my calendar
portal-today = today
portal-tomorrow = tomorrow
portal-cancelled = Cancelled
portal-cancelled-lead = This time is cancelled. Sorry!
portal-childcare = There is childcare
portal-no-childcare = No childcare
portal-answer-coming = You are coming
portal-answer-coming-with = You are coming. Children coming with you: { $count }
portal-answer-not-coming = You are not coming
portal-consents-link = View or change
portal-data-view = View, download or have removed
portal-ideas-link = Give or choose an idea

portal-activities-title = Activities
portal-activities-lead = Here you see what is on in the coming weeks. Everything is free, unless it says otherwise.
portal-answer-link = Let us know if you are coming
portal-calendar-link = Put everything in your phone's calendar

portal-answer-title = Are you coming?
portal-when = When
portal-where = Where
portal-cost = Cost
portal-childcare-label = Childcare
portal-your-answer = Your answer
portal-question-coming = Are you coming?
portal-field-children = How many children are you bringing?
portal-hint-children = Choose 0 if you come on your own
portal-field-childcare = I would like childcare
portal-field-reason = Why can't you come? (you may skip this)
portal-hint-reason = Then maybe we can help, for example with childcare
portal-reason-none = I'd rather not say
portal-answer-submit = Send
portal-error-answer = Choose whether you are coming
portal-refused-cancelled = This time is cancelled. You do not need to let us know.
portal-refused-past = This time is already over.
flash-portal-coming = Great that you are coming! You are on the list for { $name }.
flash-portal-not-coming = What a pity! We have passed on that you are not coming.
flash-portal-welcome = You are signed in. Welcome!
flash-portal-signed-out = You are signed out.
flash-portal-pin-locked = Too many wrong PINs. Ask for a new link.

portal-calendar-title = In your calendar
portal-calendar-lead = With a calendar link, your activities appear in your phone's calendar by themselves. Also when something changes.
portal-calendar-has = You already have a calendar link. If you make a new one, the old one stops working.
portal-calendar-make = Make my calendar link
portal-calendar-made = Your calendar link is ready
portal-calendar-subscribe = Add to my calendar
portal-calendar-copy = Does the button not work? Then copy this link into your calendar app. Do not share the link with anyone.

portal-ideas-title = Ideas
portal-ideas-lead = What would you like to do or learn? Give an idea or choose an idea of another parent. Nobody sees who chose what.
portal-ideas-none = There are no ideas yet. Will you give the first one?
portal-idea-mine = Your idea
portal-idea-vote = I want this too
portal-idea-unvote = Not after all
portal-idea-new = Give an idea
portal-field-idea-kind = What kind of idea is it?
portal-field-idea = Your idea
portal-hint-idea = Short, for example: Cooking healthy together
portal-idea-submit = Send idea
error-required-kind = Choose what kind of idea it is
error-required-idea = Write down your idea
error-too-long-idea = Make your idea shorter: at most 120 characters
flash-portal-idea = Thank you for your idea!
idea-kind-workshop = Workshop or theme evening
idea-kind-outing = Outing
idea-kind-other = Something else
idea-votes = Chosen: { $count }

portal-consents-title = My permissions
portal-consents-lead = Here you see what you said yes or no to. You can always change this. Do you say no? You can still take part just the same.
portal-consent-yes = Yes
portal-consent-no = No
portal-consent-not-asked = Not asked yet
portal-consent-data-erase = Have my details removed
portal-consent-title = Permission
portal-consent-check-title = Is this right?
portal-consent-done-title = Your choice is saved
portal-consent-answer-yes = Yes, that is fine
portal-consent-answer-no = No, I'd rather not
portal-continue = Continue
portal-confirm = Save
portal-consents-back = Back to my permissions
portal-error-yes-no = Choose yes or no
portal-consent-question-chat_group = Do you want to be in the WhatsApp group?
portal-consent-explain-chat_group = In the group we share what is on. The other parents in the group see your name and your phone number.
portal-consent-now-chat_group-yes = Your contact person adds you to the WhatsApp group.
portal-consent-now-chat_group-no = Your contact person takes you out of the WhatsApp group. You then hear the main news from your contact person.
portal-consent-question-photos = May we take photos with you or your children in them?
portal-consent-explain-photos = We use photos to show what we do, for example in a newsletter.
portal-consent-now-photos-yes = You may be in photos. You can always change this again.
portal-consent-question-quote = May we use something you say, without your name?
portal-consent-explain-quote = For example in a report: "I feel welcome here." Nobody knows you said it.
portal-consent-now-quote-yes = We may use something you say, without your name.
portal-consent-now-quote-no = We no longer use anything you say.
portal-consent-question-research = Do you want to take part in research?
portal-consent-explain-research = Researchers want to know whether Meet the Parents helps. They never see your name.
portal-consent-now-research-yes = You take part in research. Researchers never see your name.
portal-consent-now-research-no = You do not take part in research. We pass on nothing about you.

portal-data-title = My details
portal-data-lead = This is what we know about you and your family. Your contact person's notes are not included. Want to see them? Ask your contact person.
portal-phone = Phone number
portal-email = Email address
portal-channel = How we keep in touch
portal-contact-link = Change phone number or email address
portal-family = Your family
portal-children = Children
portal-neighbourhood = Neighbourhood
portal-since = Signed up on
portal-visits = Times you came
portal-your-rights = What you can do
portal-download = Download my details as a file (for a computer)
portal-erase-link = Ask us to remove your details
portal-pin-link = Put a PIN on this phone
portal-pin-change = Change or remove the PIN

portal-contact-title = Change contact details
portal-save = Save
flash-portal-contact = Your contact details are saved.

portal-erase-title = Have your details removed
portal-erase-lead = Don't want us to keep your details any more? Ask for it here. Your request goes to your contact person.
portal-erase-what = Your contact person first calls or messages you. Then we remove your name, your phone number and your email address. Your children's names and the notes go too. After that you cannot sign in any more.
portal-erase-submit = Yes, remove my details
portal-erase-done = We have received your request
portal-erase-next = Your contact person gets in touch with you within 2 weeks. Your details are removed within a month. If we cannot do that, we tell you why.
portal-erase-pending = You asked us to remove your details. Your contact person will get in touch with you.
portal-erase-refused = We are not removing your details now.
portal-erase-refused-on = Your contact person wrote on { $date }:
portal-erase-refused-next = Any questions? Call or WhatsApp your contact person. You can also ask again.
portal-erase-refused-why = Read why
portal-back-home = Back to my overview

portal-pin-title = PIN
portal-pin-lead = Do you share this phone with others? With a PIN only you can see your details. If you do nothing for 15 minutes, we ask for the PIN.
portal-field-pin = Choose a PIN
portal-hint-pin = 4 to 6 digits
portal-field-pin-again = Type your PIN once more
portal-pin-submit = Save PIN
portal-pin-remove = Remove PIN
error-pin-invalid = A PIN has 4 to 6 digits
error-pin-mismatch = The two PINs are not the same
error-required-pin = Fill in your PIN
flash-portal-pin-set = Your PIN is saved.
flash-portal-pin-removed = Your PIN is removed.

# For staff
portal-staff-heading = App for parents
portal-staff-lead = Send the family a personal link. With it they see what is on, let you know if they come and manage their permissions.
portal-staff-phones = Signed in on { $count ->
        [one] 1 phone
       *[other] { $count } phones
    }
portal-staff-open-links = Links not used yet: { $count }
portal-staff-last-sign-in = Last signed in: { $date }
portal-staff-link-whatsapp = Send link by WhatsApp
portal-staff-link-sms = Send link by text message
portal-staff-link-email = Email the link
portal-staff-no-contact = This family has no phone number and no email address. Fill in one of them first.
portal-staff-end = Sign out on all phones
portal-staff-link-title = Link for the parents' app
portal-staff-link-lead = The link is ready. Press the button: the message is already filled in. You send it from your own phone.
portal-staff-link-copy = Or copy the link:
portal-staff-link-next = The link works for 7 days and only once. After that the parent stays signed in on their own phone.
portal-staff-no-phone = This family has no phone number. Copy the link or email it.
portal-staff-send-whatsapp = WhatsApp to { $name }
portal-staff-send-sms = Text { $name }
flash-portal-link-mailed = The link for { $name } is queued to be emailed.
flash-portal-link-not-mailed = We cannot email the link: { $name }
flash-portal-ended = The family is signed out on all phones.
parent-requests-heading = Requests from parents
parent-request-erasure = Wants their details removed
parent-request-new_link = Wants a new link (by phone)
parent-request-done = Handled
parent-request-handle = Answer
parent-request-overdue = Over a month
parent-request-erasure-not-closed = You cannot close this request like this. Remove the details, or refuse the request and write down why.
parent-request-closed = This request has already been answered.
parent-request-not-erasure = This is not a request to remove details.
erasure-request-title = Request to remove details
erasure-request-lead = { $name } asked on { $date } to remove the family's details.
erasure-request-due = The family hears what we do by { $date } at the latest.
erasure-request-two-ways = You answer the request in one of two ways. You remove the details. Or you refuse and write down why.
erasure-request-erase-heading = Remove
erasure-request-erase-lead = The request then closes by itself. You first see what goes and what stays.
erasure-request-refuse-heading = Refuse
erasure-request-refuse-lead = Must we still keep the details, for example by law? Then write down the reason. The family reads it in the app. If the family has email, they also get an email.
field-refusal-reason = Reason for the family
hint-refusal-reason = In plain words. The family reads exactly what you write here.
error-required-reason = Write down the reason
error-too-long-reason = Make the reason shorter: 1000 characters at most
erasure-request-refuse = Refuse the request
flash-erasure-refused-mailed = The request is refused. The family gets the reason by email and sees it in the app.
flash-erasure-refused = The request is refused. The family sees the reason in the app. We cannot email the family: tell them yourself as well.
erasure-refused-mail-subject = Your request to remove your details
erasure-refused-mail-text = Hello { $name },

    You asked us to remove your details. We are not doing that now. This is the reason:

    { $reason }

    Any questions? Call or WhatsApp your contact person. You can also read this in the parents' app.
home-erasure-overdue = { $count ->
        [one] 1 request to remove details has waited for more than a month.
       *[other] { $count } requests to remove details have waited for more than a month.
    }
home-erasure-overdue-link = Go to the parents' requests
timeline-erasure_refused = Request to remove details refused
flash-parent-request-done = The request is handled.
ideas-demand-title = Parents' wishes
ideas-demand-lead = Ideas parents gave in the app, with how often they were chosen. Workshops follow the parents' questions.
idea-hide = Remove
timeline-portal_sign_in = Signed in to the parents' app
timeline-portal_ended = Signed out on all phones
timeline-portal_request = Request through the app
timeline-contact_changed = Contact details changed in the app
timeline-data_downloaded = Details downloaded in the app

portal-contact-heading = Contact
portal-contact-lead = Questions? Call or WhatsApp { $name }:
portal-contact-whatsapp = Send a WhatsApp

# The parent's words, not the staff's (docs/glossary.md)
portal-consent-label-data = Keeping your details and getting in touch with you
portal-consent-label-chat_group = In the WhatsApp group
portal-consent-label-photos = Being in photos
portal-consent-label-quote = Using something you say, without your name
portal-consent-label-research = Taking part in research
portal-consent-no-is-fine = You may say no. You can still take part.
portal-consent-now-photos-no-not_set = We take no more photos of you and your children. What happens to photos we already have? Ask your contact person.
portal-consent-now-photos-no-remove = We take no more photos of you and your children. We take photos of you off our website and social media. We cannot take back what was printed.
portal-consent-now-photos-no-keep = We take no more photos of you and your children. We do not use old photos of you again. What was already published stays.
portal-family-kind = Kind of family
portal-kind-single_parent = Family with one parent
portal-kind-multi_parent = Family with two parents
portal-erase-kept = What stays: only numbers without a name. For example how often someone came. Nobody can see that it was you.
portal-data-read = Read it all on one page
portal-data-all-title = What we know about you
portal-data-all-lead = This is what we wrote down about you and your family. Your contact person's notes are not included.
portal-data-all-print = Press Print on your phone or computer. Then you can also save the page as a PDF.
portal-data-consent-history = When you said yes or no
portal-data-visits-list = When you came
portal-data-no-visits = You have not come yet.
portal-data-consent-line = { $date }: { $answer }
portal-languages = Languages
portal-free-days = Days off
portal-postcode = Postcode (digits)
portal-interests = What you like
portal-talents = What you are good at
