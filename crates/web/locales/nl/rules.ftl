# The handbook's rules as the handbook says them (issue #17).

## Second worker (handbook §3.3: "Als de groep groot is (+10) is een tweede animator wenselijk")
second-worker-parents = Er komen meer dan 10 ouders en er is nog geen tweede wijkwerker die heeft toegezegd. Vraag een tweede wijkwerker.
second-worker-parents-hint = Het handboek bedoelt de groep ouders: kinderen tellen niet mee. Een wijkwerker telt mee als die heeft toegezegd.

## Workshops (handbook §3.3: "op maat")
audience-workshop-hint = Een workshop is "op maat": passend bij het onderwerp. Hij mag voor een brede groep zijn. Kies zelf voor wie: voor iedereen, alleen eenoudergezinnen of op uitnodiging.

## Staff minutes
staff-minutes-from-handbook = Uit het handboek
staff-minutes-own-estimate = Eigen schatting van de organisatie
staff-minutes-form-hint = Alleen voor het koffie-uurtje geeft het handboek de tijd: 1 uur voorbereiden, 1 uur uitvoeren en 1 uur afronden. Voor de andere activiteiten begint dit formulier bij de schatting van je organisatie. Een beheerder past die aan bij de instellingen van de organisatie.
staff-minutes-settings = Tijd van de wijkwerker per keer
staff-minutes-settings-hint = In minuten, per keer. Het activiteitenformulier begint bij deze getallen. Het handboek geeft alleen de tijd voor het koffie-uurtje. Voor de andere activiteiten is het je eigen schatting.
staff-minutes-coffee-hour = Koffie-uurtje:
staff-minutes-coffee-hour-figures = 60 minuten voorbereiden, 60 minuten uitvoeren, 60 minuten afronden.
staff-minutes-invalid = Vul een aantal minuten in van 0 tot en met 600.

## Even stil (quiet): proposed on the start page, never set by itself
quiet-heading = Even stil?
quiet-hint = Deze gezinnen kwamen minstens 3 keer, maar de laatste 8 weken niet meer. Zet een gezin op even stil als dat klopt. Of haal het voorstel weg: dan komt het pas terug als het gezin weer kwam en daarna weer 8 weken wegbleef.
# Always three visits or more (`mtp_domain::quiet::TOOK_PART_VISITS`): one form.
quiet-why = Kwam { $visits } keer, het laatst op { $date }.
quiet-confirm = Zet op even stil
quiet-dismiss = Niet nodig
quiet-reason = Voorgesteld: { $weeks } weken niet gekomen
flash-quiet-confirmed = { $name } staat nu op even stil.
flash-quiet-dismissed = Het voorstel voor { $name } is weggehaald.
flash-quiet-gone = Er is geen voorstel meer voor { $name }. Misschien kwam het gezin weer, of een collega was je voor.
