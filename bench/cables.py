"""Generated cables shaped like the corpus (Wilson Center page format) for benchmarks."""
from __future__ import annotations

import random

SURNAMES = ["Liu", "Zhang", "Luo", "Gong", "Dong", "Peng", "Chen", "He", "Kang", "Wu", "Zhu",
            "Li", "Wang", "Zhao", "Sun", "Ma", "Hu", "Guo", "Lin", "Xu", "Gao", "Zheng"]
GIVEN = ["Zhen", "Yi", "Long", "Sheng", "Ruiqing", "Lengxi", "Muzhi", "Xiannian", "Fuchun",
         "Jianying", "Biao", "Enlai", "Dehuai", "Xiaoping", "Shaoqi"]
OFFICES = ["Central General Office Confidential Department", "Foreign Affairs Office",
           "Central Propaganda Office", "Central Liaison Department",
           "Central Investigation Department", "Ministry of National Defense",
           "Military Intelligence Office", "The General Office",
           "Division of Soviet and European Affairs", "Second Asian Division", "Press",
           "Ambassador", "Confidential Office", "Archive"]
STATIONS = ["Moscow", "Warsaw", "Berlin", "Hanoi", "Prague", "Budapest", "Ulaanbaatar"]
PRIORITIES = [("Priority", "Urgent"), ("Class", "Very Urgent"), ("Priority", "Normal Priority"),
              ("Level", "Extra Urgent")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WORDS = ("the Soviet press delegation statement support Vietnam conference negotiations "
         "propaganda revisionists imperialism embassy ministry report declaration government "
         "issue talks newspapers published Izvestia Pravda Kosygin Brezhnev Geneva Cambodia "
         "Laos peace situation comment speech organizations public important points").split()


def _date(rng: random.Random) -> str:
    return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(1955, 1970)}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
    r = rng.random()
    if r < 0.25:
        words.insert(rng.randint(0, len(words)), "[illegible]")
    elif r < 0.45:
        words.insert(rng.randint(0, len(words)), f"[{rng.choice(GIVEN)}]")
    elif r < 0.55:
        words.insert(rng.randint(1, len(words)), "[?]")
    return " ".join(words).capitalize() + "."


def cable(seed: int) -> str:
    """One generated cable: stamp, handwritten number, priority, body, two lists, citation."""
    rng = random.Random(seed)
    date = _date(rng)
    station = rng.choice(STATIONS)
    title = (f"Cable from the Chinese Embassy in {station}, '"
             + " ".join(rng.choice(WORDS) for _ in range(6)).title() + "'")
    label, prio = rng.choice(PRIORITIES)
    paras = []
    for n in range(1, rng.randint(4, 7)):
        paras.append(f"{n}. " + " ".join(_sentence(rng) for _ in range(rng.randint(3, 5))))
    first = [rng.choice(OFFICES) if rng.random() < 0.3 else _person(rng)
             for _ in range(rng.randint(25, 35))]
    second = [rng.choice(SURNAMES) if rng.random() < 0.6 else rng.choice(OFFICES)
              for _ in range(rng.randint(20, 30))]
    for i in rng.sample(range(len(second)), 3):
        second[i] = "[illegible]"
    body = "\n\n\n".join(paras)
    return f"""Skip to content

{date}

{title}

This document was made possible with support from Henry Luce Foundation

[Stamp] Foreign Ministry Soviet and East Europe Department

Soviet Union #{rng.randint(100, 9999)}

{_date(rng)}


[handwritten {rng.randint(1, 999)}]



Ministry of Foreign Affairs Telegram


{label}: {prio}
From {station} Station
Foreign Ministry (65) No. Mao-{rng.randint(1, 2000)}


{title.split("'")[1]}


To the Foreign Ministry:


{body}


[Chinese] Embassy {station}

{date}


Distribution: {", ".join(first)}


{", ".join(second)} {rng.randint(20, 90)} copies printed




The Chinese Embassy in {station} reports on the local press.

Document Information


PRC FMA {rng.randint(100, 120)}-{rng.randint(10000, 99999):05d}-{rng.randint(1, 20):02d}, {rng.randint(1, 60)}-{rng.randint(61, 99)}. Translated by {_person(rng)}.


The History and Public Policy Program welcomes reuse of Digital Archive materials for research and educational purposes.

Original Uploaded Date





Record ID



Henry Luce Foundation
"""
