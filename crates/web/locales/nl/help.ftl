# Verwijzen naar hulp (docs/guide/help-referrals.md)

help-heading = Hulp
help-link = Verwijzen naar hulp
help-title = Verwijzen naar hulp
help-lead = Verwijs een gezin door naar hulp, zoals schuldhulp of opvoedsteun. Dat mag alleen als de ouder het goed vindt.
help-list-title = Verwijzingen
help-none = Dit gezin is nog niet doorverwezen.
help-overdue = Te laat
help-follow-up-on = Nagaan op { $date }
help-new-title = Nieuwe verwijzing
field-help-kind = Soort hulp
field-help-partner = Organisatie
hint-help-partner = Niet verplicht. Alleen organisaties die in de wijk van dit gezin werken.
help-no-partner = Geen organisatie gekozen
field-help-reason = Waarom
hint-help-reason = Kort, in hoogstens 300 tekens. Schrijf alleen op wat nodig is.
field-help-consent = Vindt de ouder de verwijzing goed?
help-consent-later = Nog vragen
help-consent-now = Ja, de ouder gaf toestemming
field-help-consent-method = Hoe gaf de ouder toestemming?
field-help-consent-on = Op welke dag gaf de ouder toestemming?
field-help-follow-up = Wanneer ga je het na?
hint-help-follow-up = Leeg laten mag: dan kiezen we een datum die past bij de stap.
help-new-button = Verwijzing opslaan

help-referral-title = Verwijzing
help-consent = Toestemming
help-consent-not-yet = Nog niet gegeven
help-withdrawn = Geen toestemming of ingetrokken
help-referred-on = Doorverwezen op
help-first-contact-on = Eerste contact op
help-ended-on = Afgesloten op
help-next-title = Volgende stap
help-next-lead = Stuur een verwijzing pas als de ouder toestemming gaf.
field-help-step = Wat is er gebeurd?
help-step-consent = De ouder gaf toestemming
help-step-decline = De ouder wil het niet
help-step-withdraw = De ouder trekt de toestemming in
help-step-refer = Ik heb de verwijzing gestuurd
help-step-first_contact = De hulp heeft contact gehad met de ouder
help-step-close = Afsluiten
field-help-step-on = Op welke dag?
hint-help-step-on = Vandaag of eerder, niet voor de vorige stap.
field-help-step-method = Hoe zei de ouder het?
hint-help-step-method = Alleen bij toestemming geven of intrekken.
field-help-step-outcome = Hoe is het afgelopen?
hint-help-step-outcome = Alleen bij afsluiten.
help-step-button = Stap opslaan
help-follow-up-title = Andere datum om na te gaan
help-follow-up-button = Datum opslaan
help-to-household = Naar het gezin

help-kind-debt_help = Schuldhulp
help-kind-parenting_support = Opvoedsteun
help-kind-youth_health_care = Jeugdgezondheidszorg
help-kind-mental_health = Psychische hulp
help-kind-work_and_income = Werk en inkomen
help-kind-lifestyle_programme = Leefstijlprogramma
help-kind-other = Andere hulp

help-state-proposed = Voorgesteld
help-state-consented = Toestemming gegeven
help-state-referred = Doorverwezen
help-state-first_contact = Eerste contact gehad
help-state-closed = Afgesloten
help-state-stopped = Gestopt

help-outcome-help_started = De hulp is begonnen
help-outcome-not_needed = Niet meer nodig
help-outcome-declined = De ouder wilde het toch niet
help-outcome-not_reached = De hulp kon de ouder niet bereiken
help-outcome-consent_withdrawn = De ouder trok de toestemming in
help-outcome-other = Anders

help-refused-no-consent = Eerst moet de ouder toestemming geven. Zonder toestemming stuur je geen verwijzing.
help-refused-ended = Deze verwijzing is al afgesloten.
help-refused-not-now = Deze stap kan nu niet. Kies een van de stappen uit de lijst.
help-refused-changed = Iemand anders heeft net een stap opgeslagen. Kijk wat er nu staat en probeer het opnieuw.

error-required-help_kind = Kies een soort hulp.
error-choice-invalid-help_kind = Kies een soort hulp uit de lijst.
error-choice-invalid-help_partner = Kies een organisatie uit de lijst, of geen.
error-required-help_reason = Schrijf kort op waarom je het gezin doorverwijst.
error-too-long-help_reason = Dit is te lang. Gebruik hoogstens 300 tekens.
error-required-help_consent = Kies of de ouder al toestemming gaf.
error-choice-invalid-help_consent = Kies of de ouder al toestemming gaf.
error-choice-invalid-help_consent_method = Kies hoe de ouder toestemming gaf.
error-required-help_consent_on = Vul de dag in waarop de ouder toestemming gaf.
error-date-invalid-help_consent_on = Vul een datum in zoals 2026-12-04, vandaag of eerder.
error-date-invalid-help_follow_up_on = Vul een datum in zoals 2026-12-04, vanaf vandaag en binnen een jaar. Of laat het leeg.
error-required-step_on = Vul de dag in.
error-date-invalid-step_on = Vul een datum in zoals 2026-12-04: vandaag of eerder, en niet voor de vorige stap.
error-choice-invalid-step_method = Kies hoe de ouder het zei.
error-required-step_outcome = Kies hoe het is afgelopen.
error-choice-invalid-step_outcome = Kies hoe het is afgelopen, uit de lijst.
error-date-invalid-step_follow_up_on = Vul een datum in zoals 2026-12-04, vanaf vandaag en binnen een jaar. Of laat het leeg.
error-required-referral_follow_up_on = Vul een datum in.
error-date-invalid-referral_follow_up_on = Vul een datum in zoals 2026-12-04, vanaf vandaag en binnen een jaar.

flash-help-created = De verwijzing ({ $name }) is opgeslagen.
flash-help-step-consent = De toestemming van { $name } is vastgelegd.
flash-help-step-withdraw = Vastgelegd: { $name } wil de verwijzing niet (meer).
flash-help-step-refer = De verwijzing is gestuurd.
flash-help-step-first_contact = Het eerste contact is vastgelegd.
flash-help-step-close = De verwijzing is afgesloten.
flash-help-follow-up-set = Je gaat het na op { $name }.

timeline-help_referral_proposed = Verwijzing naar hulp voorgesteld
timeline-help_referral_consented = Toestemming voor verwijzing naar hulp
timeline-help_referral_referred = Doorverwezen naar hulp
timeline-help_referral_first_contact = Eerste contact met de hulp
timeline-help_referral_closed = Verwijzing naar hulp afgesloten
timeline-help_referral_stopped = Verwijzing naar hulp gestopt
timeline-help_referral_withdrawn = Toestemming voor verwijzing ingetrokken

help-tasks-title = Verwijzingen naar hulp om na te gaan
help-tasks-none = Er zijn geen verwijzingen om na te gaan.
help-task-open = Verwijzing bekijken

# Citaten en publiciteit

home-publicity-link = Citaten van ouders voor publiciteit
quotes-link = Citaten van de ouder
quotes-title = Citaten
quotes-lead = Wat een ouder zei over Meet the Parents, voor een folder, een verslag of de website. Alleen met toestemming van de ouder voor citaten. We bewaren geen foto's.
quotes-consent-given = Toestemming voor citaten gegeven
quotes-consent-missing = Geen toestemming voor citaten
quotes-list-title = Vastgelegde citaten
quotes-none = Er zijn nog geen citaten van dit gezin.
quote-hidden = Verborgen
quote-hidden-lead = Citaat van { $date }. Het is verborgen, want de ouder gaf geen toestemming (meer) voor citaten.
quote-remove = Citaat verwijderen
quote-new-title = Nieuw citaat
field-quote-text = Wat zei de ouder?
hint-quote-text = In de woorden van de ouder, hoogstens 500 tekens.
field-quote-attribution = Hoe wil de ouder genoemd worden?
quote-attribution-phrase = Met een omschrijving
quote-attribution-first_name = Met de voornaam
field-quote-phrase = Omschrijving
hint-quote-phrase = Zoals de ouder het wil, bijvoorbeeld "een moeder uit Almere Poort". Hoogstens 80 tekens.
quote-phrase-default = een moeder uit { $neighbourhood }
field-quote-parent = Welke ouder?
hint-quote-parent = Alleen nodig als de ouder met de voornaam genoemd wil worden.
field-quote-said-on = Op welke dag?
quote-new-button = Citaat opslaan
quotes-ask-consent = Vraag de ouder eerst om toestemming voor citaten. Die zet je bij de toestemmingen van het gezin.
quotes-to-consents = Naar het gezin
publicity-title = Citaten voor publiciteit
publicity-lead = Citaten van ouders die je nu mag gebruiken. Trekt een ouder de toestemming in, dan verdwijnt het citaat hier meteen.
publicity-none = Er zijn nu geen citaten die je mag gebruiken.
publicity-count = { $count ->
    [one] { $count } citaat
   *[other] { $count } citaten
}
publicity-manage = Bij het gezin bekijken
error-required-quote_text = Schrijf op wat de ouder zei.
error-too-long-quote_text = Dit is te lang. Gebruik hoogstens 500 tekens.
error-required-quote_attribution = Kies hoe de ouder genoemd wil worden.
error-choice-invalid-quote_attribution = Kies hoe de ouder genoemd wil worden.
error-choice-invalid-quote_parent = Kies een ouder van dit gezin.
error-required-quote_phrase = Schrijf op hoe de ouder genoemd wil worden.
error-too-long-quote_phrase = Dit is te lang. Gebruik hoogstens 80 tekens.
error-required-quote_said_on = Vul de dag in.
error-date-invalid-quote_said_on = Vul een datum in zoals 2026-12-04, vandaag of eerder.
error-quote-no-consent = Dit gezin gaf geen toestemming voor citaten. Vraag die eerst.
flash-quote-recorded = Het citaat is opgeslagen.
flash-quote-removed = Het citaat is verwijderd.
timeline-quote_recorded = Citaat vastgelegd
timeline-quote_removed = Citaat verwijderd
help-ended-lead = Deze verwijzing is afgelopen. Er zijn geen stappen meer.

# Verwijzingen in cijfers (coördinatoren)

home-help-figures-link = Verwijzingen naar hulp in cijfers
help-figures-title = Verwijzingen naar hulp in cijfers
help-figures-lead = Verwijzingen die zijn gemaakt sinds { $date }, van de gezinnen in jouw wijken.
help-figures-none = In deze periode is geen gezin doorverwezen.
help-figures-days-explained = Dagen tot eerste contact: het middelste aantal dagen tussen het sturen van de verwijzing en het eerste contact van de hulp met de ouder.
help-figures-by-kind = Per soort hulp
help-figures-by-partner = Per organisatie
help-figures-made = Gemaakt
help-figures-sent = Gestuurd
help-figures-contact = Eerste contact
help-figures-started = Hulp begonnen
help-figures-days = Dagen tot eerste contact
help-figures-total = Totaal
