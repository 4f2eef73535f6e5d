"""The vocabulary used by the demo content, in Italian with English translations."""

from wagtail.models import Locale

from .models import FundingSource, ServiceType, TargetGroup, Topic
from .services import term_translate

TERMS = {
    Topic: [
        ("collocamento-mirato", "Collocamento mirato", "Targeted placement"),
        (
            "inclusione-sociale",
            "Inclusione sociale e lavorativa",
            "Social and labour inclusion",
        ),
        ("lavoro-irregolare", "Emersione del lavoro irregolare", "Undeclared work"),
        (
            "osservatori",
            "Osservatori del mercato del lavoro",
            "Labour-market observatories",
        ),
        ("intermediazione", "Incontro domanda-offerta", "Job matching"),
        ("conciliazione", "Conciliazione vita-lavoro", "Work-life balance"),
        ("migrazioni", "Politiche migratorie", "Migration policy"),
        (
            "governance",
            "Governance dei servizi per il lavoro",
            "Employment-services governance",
        ),
        ("formazione-operatori", "Formazione degli operatori", "Training of operators"),
    ],
    TargetGroup: [
        ("giovani", "Giovani", "Young people"),
        (
            "persone-con-disabilita",
            "Persone con disabilità",
            "People with disabilities",
        ),
        (
            "detenuti",
            "Persone detenute o in misura alternativa",
            "Prisoners and people on alternative measures",
        ),
        ("migranti", "Migranti", "Migrants"),
        ("donne", "Donne", "Women"),
        (
            "disoccupati-lunga-durata",
            "Disoccupati di lunga durata",
            "Long-term unemployed",
        ),
        (
            "operatori",
            "Operatori dei servizi per l'impiego",
            "Employment-service operators",
        ),
        ("imprese", "Imprese", "Employers"),
    ],
    ServiceType: [
        ("orientamento", "Orientamento", "Guidance"),
        ("tirocini", "Tirocini e work experience", "Traineeships and work experience"),
        ("incontro-domanda-offerta", "Incontro domanda-offerta", "Job matching"),
        ("presa-in-carico", "Presa in carico integrata", "Integrated case management"),
        ("analisi-mercato", "Analisi del mercato del lavoro", "Labour-market analysis"),
        ("formazione", "Formazione", "Training"),
        ("voucher", "Voucher e doti", "Vouchers"),
    ],
    FundingSource: [
        ("fse", "FSE", "ESF"),
        ("pon", "PON", "National operational programme (PON)"),
        ("fondi-regionali", "Fondi regionali", "Regional funds"),
        ("fondi-nazionali", "Fondi nazionali", "National funds"),
    ],
}


def load(*, home, stdout) -> None:
    italian = Locale.objects.get(language_code="it")
    english = Locale.objects.get(language_code="en")
    for model, terms in TERMS.items():
        for slug, name, english_name in terms:
            term, _created = model.objects.get_or_create(
                slug=slug, locale=italian, defaults={"name": name}
            )
            if not model.objects.filter(
                translation_key=term.translation_key, locale=english
            ).exists():
                term_translate(term=term, language_code="en", name=english_name)
