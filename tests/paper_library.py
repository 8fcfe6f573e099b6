"""A library written to stress a leaflet's use of paper, as a clinic might write it: a
medicines timetable of thirty rows, phone photos and big drawings, a closing block
with a dozen sources and long addresses, units and phone numbers in the text, a
French leaflet, a long urgent callout, a one-page note. Made when the tests run (the
pictures with Pillow), for any paper size; ``python tests/paper_library.py FOLDER
[--paper A5]`` writes one to look at.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

CLINIC = "Meadow Lane Health Centre"
LOGO_ALT = "Meadow Lane Health Centre logo"
OTHER_FORMATS = "Ask at reception for this leaflet in braille, audio or another language."


def photo(width: int, height: int, seed: int = 0) -> bytes:
    """A JPEG like a phone photo (gradients and noise)."""
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.radial_gradient("L").resize((width, height))
    blue = Image.effect_noise((width, height), 40 + seed).filter(ImageFilter.GaussianBlur(3))
    picture = Image.merge("RGB", (red, green, blue))
    ImageDraw.Draw(picture).ellipse(
        (width // 4, height // 3, 3 * width // 4, 2 * height // 3), outline="white", width=12
    )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def chart(width: int, height: int) -> bytes:
    """A PNG drawing: a bar chart on white."""
    picture = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    bars = 12
    for bar in range(bars):
        top = height - (bar + 3) * height // (bars + 4)
        left = 40 + bar * (width - 80) // bars
        draw.rectangle(
            (left, top, left + (width - 80) // bars - 20, height - 40), fill=(29, 79, 145)
        )
    draw.line((30, height - 40, width - 30, height - 40), fill="black", width=6)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def logo() -> bytes:
    """The clinic's logo: a green leaf-like mark on a transparent background."""
    picture = Image.new("RGBA", (900, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((20, 20, 280, 280), fill=(35, 110, 60, 255))
    draw.rectangle((320, 90, 880, 140), fill=(35, 110, 60, 255))
    draw.rectangle((320, 170, 760, 210), fill=(90, 90, 90, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def front(title: str, summary: str, extra: str = "") -> str:
    return (
        f"---\ntitle: {title}\npublished: 2026-05-04\nreview_due: 2028-05-04\n"
        f"summary: {summary}\n{extra}---\n\n"
    )


MEDICINES = [
    ("Metformin", "500 mg", "with breakfast"),
    ("Ramipril", "2.5 mg", "in the morning"),
    ("Amlodipine", "5 mg", "in the morning"),
    ("Atorvastatin", "20 mg", "at night"),
    ("Paracetamol", "2 tablets", "up to 4 times in 24 hours"),
    ("Lactulose", "10 ml", "twice a day"),
    ("Insulin glargine", "14 units", "at 10 pm"),
    ("Aspirin", "75 mg", "after breakfast"),
]

SCHEDULE = (
    front(
        "Your medicines after a hospital stay",
        "A timetable of your medicines for the first four weeks at home.",
        "reference: MLH-017\ntags: [medicines]\n",
    )
    + "This leaflet lists the medicines the hospital gave you, when to take them and how "
    "much. Keep it by your medicines and tick each dose when you have taken it.\n\n"
    "## Before you start\n\n"
    "Read the label on each box. If the label says something different from this "
    "timetable, ask your pharmacist before you take the medicine.\n\n"
    "Take your blood pressure each morning. Write it down, for example 140/90 mmHg. "
    "If the top number is over 180 mmHg twice in a row, call the surgery on "
    "01632 960 321.\n\n"
    "## Your timetable\n\n"
    "| Day | Medicine | How much | When |\n|---|---|---|---|\n"
    + "".join(
        f"| Day {day} | {name} | {dose} | {when} |\n"
        for day in range(1, 29)
        for name, dose, when in [MEDICINES[day % len(MEDICINES)]]
    )
    + "\n## What each medicine is for\n\n"
    + "".join(
        f"**{name}** ({dose}): take it {when}. Do not stop taking it unless your doctor "
        "tells you to. If you miss a dose, take it when you remember, but never take two "
        "doses at once.\n\n"
        for name, dose, when in MEDICINES
    )
    + "## Side effects to look out for\n\n"
    "| Side effect | What to do |\n|---|---|\n"
    "| Feeling dizzy when you stand up | Sit down, then stand up slowly. |\n"
    "| A dry cough that does not go away | Tell your GP at your next visit. |\n"
    "| Swollen ankles | Put your feet up; tell your GP if it lasts more than 3 days. |\n"
    "| Feeling sick | Take the tablet with food. |\n"
    "| Low blood sugar (shaky, sweaty) | Eat or drink something sugary straight away. |\n"
    "| A temperature of 38 °C or more | Call NHS 111. |\n\n"
    '!!! danger "Call 999"\n'
    "    Call 999 if your lips or face swell, if you have chest pain, or if you cannot "
    "breathe.\n\n"
    "## Getting more tablets\n\n"
    "Order your next tablets 7 days before they run out. You can order them online, by "
    "phone or at the surgery.\n"
)


def _paragraphs(count: int, topic: str) -> str:
    sentences = [
        f"Keep the {topic} clean and dry for the first 48 hours.",
        "Wash your hands before and after you touch the dressing.",
        "A little redness around the edge is normal in the first few days.",
        "If the redness spreads, or the skin feels hot, call the surgery the same day.",
        "Most wounds heal in 10 to 14 days; bigger ones can take 3 or 4 weeks.",
        "Eat well and drink about 2 litres of water a day to help your skin heal.",
    ]
    return "".join(
        " ".join(sentences[(n + k) % len(sentences)] for k in range(4)) + "\n\n"
        for n in range(count)
    )


WOUNDS = (
    front(
        "Looking after a wound at home",
        "How to care for a wound, change a dressing and spot an infection.",
        "reference: MLH-044\ntags: [skin]\n",
    )
    + _paragraphs(2, "wound")
    + "## What a healing wound looks like\n\n"
    + _paragraphs(3, "wound")
    + "![A healing wound on a forearm, seen from above, with pink new skin along a clean "
    'line](images/healing.jpg "A wound after 7 days: pink, dry and closing"){: width=full }\n\n'
    + _paragraphs(2, "wound")
    + "## How to change a dressing\n\n"
    + "1. Wash your hands with soap and warm water.\n"
    "2. Take the old dressing off slowly.\n"
    "3. Put the new dressing on without touching the pad.\n"
    "4. Wash your hands again.\n\n"
    + "![A bar chart: most wounds heal within 14 days, a few take up to 4 weeks]"
    '(images/healing-times.png "How long wounds take to heal"){: width=full }\n\n'
    + _paragraphs(3, "dressing")
    + "## Signs of an infection\n\n"
    + _paragraphs(2, "wound")
    + "![A wound with red, swollen skin around it](images/infected.jpg "
    '"An infected wound: red, swollen and warm"){: width=large }\n\n'
    + "If you have a temperature of 38 °C or more, or feel shivery, call NHS 111.\n"
)

SOURCES = "".join(
    f'  - title: "{title}"\n    url: {url}\n'
    for title, url in [
        (
            "Support for carers (NHS)",
            "https://www.nhs.uk/conditions/social-care-and-support-guide/support-and-benefits-for-carers/",
        ),
        ("Carers UK: help and advice", "https://www.carersuk.org/help-and-advice/"),
        ("Age UK: care and support", "https://www.ageuk.org.uk/information-advice/care/"),
        ("Citizens Advice: benefits", "https://www.citizensadvice.org.uk/benefits/"),
        ("Mind: mental health support", "https://www.mind.org.uk/information-support/"),
        ("Samaritans", "https://www.samaritans.org/how-we-can-help/contact-samaritan/"),
        ("Dementia UK: Admiral Nurses", "https://www.dementiauk.org/get-support/admiral-nurses/"),
        ("Macmillan Cancer Support", "https://www.macmillan.org.uk/cancer-information-and-support"),
        ("Marie Curie: end of life care", "https://www.mariecurie.org.uk/help/support"),
        ("Scope: disability advice", "https://www.scope.org.uk/advice-and-support/"),
        (
            "Local council adult social care",
            "https://www.gov.uk/apply-needs-assessment-social-services",
        ),
        ("Turn2us: grants and benefits", "https://www.turn2us.org.uk/get-support"),
        ("Shelter: housing advice", "https://england.shelter.org.uk/housing_advice"),
        ("Money Helper", "https://www.moneyhelper.org.uk/en/benefits"),
    ]
)

SUPPORT = (
    front(
        "Help and support for carers",
        "Where carers can find help, money advice and a break.",
        "tags: [carers]\nrelated: [medicines-schedule, wound-care, fievre-enfant, "
        "blood-pressure, short-note]\nsources:\n" + SOURCES,
    )
    + "A carer looks after a family member or friend who could not manage without "
    "them. Being a carer can be hard work. You do not have to do it alone.\n\n"
    "## Help you can ask for\n\n"
    "- A carer's assessment from your council: it is free.\n"
    "- Money: Carer's Allowance is about £83 a week.\n"
    "- A break: someone can look after the person you care for.\n\n"
    "## Talk to someone\n\n"
    "Call the surgery on 01632 960 321 and ask for the carers' lead. If you feel you "
    "cannot cope, call Samaritans on 116 123, day or night.\n"
)

FIEVRE = (
    front(
        "La fièvre chez l'enfant",
        "Que faire quand votre enfant a de la fièvre, et quand appeler le médecin.",
        "lang: fr\nreference: MLH-052\ntags: [children]\n",
    )
    + "La fièvre est fréquente chez l'enfant : elle aide le corps à se défendre. "
    "Une température de 38 °C ou plus est une fièvre.\n\n"
    "## Que faire ?\n\n"
    "- Donnez-lui à boire souvent ; de l'eau suffit.\n"
    "- Ne le couvrez pas trop !\n"
    "- Le paracétamol peut aider : 15 mg par kilo, toutes les 6 heures. Le médecin "
    'dit : "pas plus de 4 doses par jour".\n\n'
    "## Quand appeler ?\n\n"
    "Appelez le 15 si votre enfant a moins de 3 mois et une température de 38 °C ou plus. "
    "Appelez aussi si la fièvre dure plus de 48 heures. Pourquoi ? Parce qu'une "
    "infection peut demander un traitement.\n\n"
    "Votre enfant est-il très fatigué ? Respire-t-il mal? Appelez le 15 sans attendre!\n\n"
    "Attention: le paracétamol se prend toutes les 6 heures ; pas plus souvent.\n"
)

PRESSURE = (
    front(
        "High blood pressure",
        "What high blood pressure is, how to measure it at home and when to get help.",
        "reference: MLH-031\ntags: [heart, medicines]\nrelated: [medicines-schedule]\n",
    )
    + "High blood pressure rarely makes you feel ill, but it raises the risk of a heart "
    "attack or a stroke. A reading of 140/90 mmHg or more at the surgery, or "
    "135/85 mmHg or more at home, is high.\n\n"
    "## Measuring it at home\n\n"
    "Sit still for 5 minutes before you start. Rest your arm on a table at the height of "
    "your heart. Take 2 readings, 1 minute apart, each morning and each evening for "
    "7 days. Write each one down.\n\n"
    "| Reading | What it means | What to do |\n|---|---|---|\n"
    "| Below 135/85 mmHg | Normal at home | Keep going as you are. |\n"
    "| 135/85 to 149/94 mmHg | Raised | Tell your GP at your next visit. |\n"
    "| 150/95 to 179/119 mmHg | High | Book an appointment this week. |\n"
    "| 180/120 mmHg or more | Very high | Call the surgery today, or NHS 111. |\n\n"
    "## Things that help\n\n"
    "- Eat less salt: no more than 6 g a day, about a teaspoon.\n"
    "- Walk for 30 minutes on 5 days a week.\n"
    "- Drink no more than 14 units of alcohol a week.\n"
    "- Lose weight if you need to: even 5 kg helps.\n"
    "- Stop smoking. Call 0300 123 1044 for free help.\n\n"
    "## Your medicines\n\n"
    "Most people need 1 or 2 tablets a day. Take them at the same time each day. "
    "Ramipril 2.5 mg, amlodipine 5 mg and indapamide 1.5 mg are common. Your GP will "
    "check your blood every 12 months.\n\n"
    '!!! danger "When to call 999"\n'
    "    Call 999 straight away if you have any of these:\n\n"
    "    - a reading of 180/120 mmHg or more and chest pain;\n"
    "    - a sudden, very bad headache;\n"
    "    - weakness or numbness of your face, arm or leg;\n"
    "    - trouble speaking or seeing;\n"
    "    - feeling confused;\n"
    "    - a fit (seizure);\n"
    "    - pain in your back or tummy that is sudden and very bad;\n"
    "    - being very short of breath;\n"
    "    - a temperature of ≥ 38 °C with a stiff neck;\n"
    "    - fainting and not waking up quickly;\n"
    "    - blood in your sick (vomit);\n"
    "    - a racing heart that does not slow down after 10 minutes.\n\n"
    "    Do not drive yourself to hospital.\n\n"
    "## Follow-up\n\n"
    "You will see the nurse every 6 months. Bring your home readings with you. The "
    "nurse will measure your weight and may take a blood test.\n"
)

SHORT = (
    front(
        "Your flu jab",
        "Who should have the flu jab and when.",
        "tags: [medicines]\n",
    )
    + "The flu jab protects you from flu for about 6 months. Have it every autumn if you "
    "are 65 or over, pregnant, or have a long-term illness. Book it at reception.\n"
)


def make_paper_library(root: Path, paper: str = "A4") -> Path:
    """Write the library into ``root`` (careleaf.toml, images/logo.png, manuscripts/)."""
    manuscripts = root / "manuscripts"
    (manuscripts / "images").mkdir(parents=True, exist_ok=True)
    (root / "images").mkdir(exist_ok=True)
    (root / "images" / "logo.png").write_bytes(logo())
    (root / "careleaf.toml").write_text(
        f'[clinic]\nname = "{CLINIC}"\nphone = "01632 960 321"\n'
        'email = "reception@meadow-lane.example"\naddress = "1 Meadow Lane, Westbury"\n'
        f'logo = "images/logo.png"\nlogo_alt = "{LOGO_ALT}"\n'
        f'other_formats = "{OTHER_FORMATS}"\n\n'
        '[collection]\ntitle = "Meadow Lane leaflets"\nlanguage = "en-GB"\n'
        'base_url = "https://meadow-lane.example/leaflets/"\n\n'
        f'[print]\npaper = "{paper}"\n\n[checks]\noverdue_review = "warning"\n',
        encoding="utf-8",
    )
    pictures = {
        "healing.jpg": photo(1800, 2400),
        "infected.jpg": photo(2400, 1800, 7),
        "healing-times.png": chart(2400, 1500),
    }
    for name, data in pictures.items():
        (manuscripts / "images" / name).write_bytes(data)
    texts = {
        "medicines-schedule.md": SCHEDULE,
        "wound-care.md": WOUNDS,
        "carers-support.md": SUPPORT,
        "fievre-enfant.md": FIEVRE,
        "blood-pressure.md": PRESSURE,
        "short-note.md": SHORT,
    }
    for name, text in texts.items():
        (manuscripts / name).write_text(text, encoding="utf-8")
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--paper", default="A4", choices=("A4", "letter", "A5"))
    arguments = parser.parse_args()
    make_paper_library(arguments.folder, arguments.paper)
