# Help with the app, for parents (docs/guide/portal.md#help). Plain language (B1), "you",
# sentences of at most 15 words, none of the staff's words (docs/glossary.md, "Parent pages").

portal-guide-link = Help
portal-guide-title = Help with the app
portal-guide-lead = In this app you see what is on. You also arrange some things yourself. Here you read how.

portal-guide-do = What can you do in the app?
portal-guide-activities = See what is on in the coming weeks. For each activity you say whether you are coming.
portal-guide-go-activities = Go to the activities
portal-guide-calendar = Put your activities in your phone's calendar. Then you forget nothing.
portal-guide-go-calendar = Go to your calendar
portal-guide-ideas = Give an idea for an outing or a workshop. Or choose another parent's idea.
portal-guide-go-ideas = Go to the ideas
portal-guide-consents = Say yes or no to photos, the WhatsApp group and research. You can always take back a yes: choose No. You may say no. You can still take part.
portal-guide-go-consents = Go to my permissions
portal-guide-data = See what we know about you and your family. Change your phone number or email address.
portal-guide-go-data = Go to my details

portal-guide-sign-in = How do you sign in again?
portal-guide-stay = You stay signed in on this phone. Not in the app for 4 months? Then you sign in again.
portal-guide-new-link = You sign in with a link. You do not need a password. Ask your contact person for a new link. They send it by WhatsApp, text message or email. You can also ask for a link yourself on the page Sign in for parents.
portal-guide-link-once = A link works for 7 days, and only once.
portal-guide-pin = Do you share this phone with others? Then put a PIN on the app.
portal-guide-go-pin = Choose a PIN

portal-guide-ask = Who can you ask?
portal-guide-ask-worker = Your contact person. That is the worker you know from the coffee hour.
portal-guide-ask-host = At the coffee hour you can also ask the host.

portal-guide-privacy = What do we do with your details?
portal-guide-kept = We keep your name, how to reach you, your children and when you came. Each person sees only what they need for their work.
portal-guide-see = You may always see what we know about you. You can also ask us to remove it.
portal-guide-change-mind = You change what you said yes or no to yourself.
