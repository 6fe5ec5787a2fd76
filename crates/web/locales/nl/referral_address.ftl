# Geheime verwijsadressen voor partners zonder account (issue #16,
# docs/guide/referrals.md#a-referral-address). Eenvoudig Nederlands (B1).

## de pagina van de partner (coördinatoren)
referral-address-heading = Verwijsadres
referral-address-lead = Een partner zonder account kan ouders verwijzen via een geheim webadres. Geef het adres alleen aan de partner. Iedereen met het adres kan het formulier gebruiken.
referral-address-none = Deze partner heeft geen verwijsadres.
referral-address-made-on = Het verwijsadres werkt. Gemaakt op { $date }.
referral-address-revoked-on = Het verwijsadres is gestopt op { $date }.
referral-address-make = Maak een verwijsadres
referral-address-renew = Maak een nieuw adres (het oude werkt dan niet meer)
referral-address-revoke = Stop het verwijsadres
flash-referral-address-revoked = Het verwijsadres werkt niet meer.
referral-address-made-title = Nieuw verwijsadres
referral-address-made-lead = Geef dit adres aan de partner. Je ziet het alleen nu. Wij bewaren het niet.
referral-address-made-next = De partner opent het adres en vult het formulier in. De ouder krijgt dan een link van jou, net als bij andere verwijzingen. Adres kwijt? Maak een nieuw adres.

## het formulier achter het adres
refer-title = Verwijs een ouder
refer-address-for = Je verwijst namens { $partner }, naar { $org }.
field-refer-referrer-email = Je eigen e-mailadres
hint-refer-referrer-email = We sturen je een kort bericht over hoe het gaat. Alleen: ontvangen, contact gelegd, doet mee of doet niet mee.
error-required-referrer_email = Vul je eigen e-mailadres in.
error-email-invalid-referrer_email = Dit is geen goed e-mailadres. Bijvoorbeeld naam@school.nl.
refer-leave-empty = Laat dit veld leeg
refer-error-check = Kijk het formulier na en verstuur het opnieuw.
refer-gone = Dit verwijsadres werkt niet meer. Vraag het team om een nieuw adres.
refer-limited = Vanaf hier zijn veel verwijzingen verstuurd. Probeer het later opnieuw, of bel het team.
refer-thanks = Dank je. We hebben de verwijzing ontvangen. Je krijgt een e-mail met een link. Daar zie je hoe het gaat.
refer-mail-subject = Je verwijzing is ontvangen
refer-mail-text = Dank je voor je verwijzing namens { $partner }. Hier zie je hoe het gaat: { $url }

## de statuslink van de verwijzer
referral-status-title = Je verwijzing
referral-status-unknown = Deze link werkt niet. Kijk of je de hele link hebt gekopieerd.
refer-mail-status-subject = Nieuws over je verwijzing: { $status }
refer-mail-status-now = Hoe het nu gaat: { $status }.
refer-mail-status-text = Dit gaat over je verwijzing namens { $partner }. Meer zie je hier: { $url }
