"""AudioSet classes -> ESC-50 categories, so AudioSet clips can feed ``audio.sound_event_recognition``, whose
closed options are ESC-50's 50 classes.

The table maps AudioSet ontology ids (the ``mid`` column of ``class_labels_indices.csv``; display names in the
comments) onto the ESC-50 category (spelled as the task's options) they name **without doubt**: the class itself
or one of its children that is only that sound (``Bark`` -> dog, ``Police car (siren)`` -> siren). Left out on
purpose, as ambiguous: parents that span several ESC-50 classes (``Insect`` holds ``Cricket``; ``Aircraft`` holds
``Helicopter``; ``Chicken, rooster`` is hen or rooster; ``Domestic animals, pets``), sounds shared with other
sources (``Bleat`` is goat or sheep, ``Hiss``, ``Crackle``, ``Creak``, ``Tick``, ``Typing`` (typewriters too),
``Applause`` (a crowd), ``Jet engine``). ESC-50 classes without an AudioSet class of that meaning get no clips:
mouse click, drinking sipping, door wood creaks, can opening, washing machine.

A clip gets a category when the mapped labels among its labels name exactly one ESC-50 category (its other,
unmapped labels, speech for instance, do not stop it: none of them is an option). A clip whose labels map onto two
categories (``Rain`` and ``Thunder``) or onto none gets None, and the task leaves it out and counts it.
Not a parser: the leading underscore keeps it out of discovery.
"""

from __future__ import annotations

from typing import Optional

#: ESC-50 category -> the AudioSet mids (display names in comments) that name it without doubt
_MIDS_OF = {
    "dog": "/m/0bt9lr /m/05tny_ /m/07r_k2n /m/07qf0zm /m/07rc7d9 /t/dd00136",  # Dog, Bark, Yip, Howl, Bow-wow, Whimper (dog)
    "rooster": "/m/07qn5dc",  # Crowing, cock-a-doodle-doo
    "pig": "/m/068zj /t/dd00018",  # Pig, Oink
    "cow": "/m/01xq0k1 /m/07rpkh9",  # Cattle, bovinae; Moo
    "frog": "/m/09ld4 /m/07st88b",  # Frog, Croak
    "cat": "/m/01yrx /m/02yds9 /m/07qrkrw /m/07r81j2",  # Cat, Purr, Meow, Caterwaul
    "hen": "/m/07st89h",  # Cluck
    "insects": "/m/09f96 /m/0h2mp /m/01h3n",  # Mosquito; Fly, housefly; Bee, wasp, etc.
    "sheep": "/m/07bgp",  # Sheep
    "crow": "/m/04s8yn /m/07r5c2p",  # Crow, Caw
    "rain": "/m/06mb1 /m/07r10fb /t/dd00038",  # Rain, Raindrop, Rain on surface
    "sea waves": "/m/05kq4 /m/034srq",  # Ocean; Waves, surf
    "crackling fire": "/m/02_41",  # Fire
    "crickets": "/m/09xqv",  # Cricket
    "chirping birds": "/m/020bb7 /m/07pggtn",  # Bird vocalization, bird call, bird song; Chirp, tweet
    "water drops": "/m/07r5v4s",  # Drip
    "wind": "/m/03m9d0z",  # Wind
    "pouring water": "/m/07prgkl",  # Pour
    "toilet flush": "/m/01jt3m",  # Toilet flush
    "thunderstorm": "/m/0jb2l /m/0ngt1",  # Thunderstorm, Thunder
    "crying baby": "/t/dd00002",  # Baby cry, infant cry
    "sneezing": "/m/01hsr_",  # Sneeze
    "clapping": "/m/0l15bq",  # Clapping
    "breathing": "/m/0lyf6",  # Breathing
    "coughing": "/m/01b_21",  # Cough
    "footsteps": "/m/07pbtc8",  # Walk, footsteps
    "laughing": "/m/01j3sz /t/dd00001 /m/07r660_ /m/07s04w4 /m/07sq110 /m/07rgt08",  # Laughter and its children
    "brushing teeth": "/m/012xff /m/04fgwm",  # Toothbrush, Electric toothbrush
    "snoring": "/m/01d3sd",  # Snoring
    "door wood knock": "/m/07r4wb8",  # Knock (under Door)
    "keyboard typing": "/m/01m2v",  # Computer keyboard
    "vacuum cleaner": "/m/0d31p",  # Vacuum cleaner
    "clock alarm": "/m/046dlr",  # Alarm clock
    "clock tick": "/m/07qjznl",  # Tick-tock
    "glass breaking": "/m/07rn7sz",  # Shatter (under Glass)
    "helicopter": "/m/09ct_",  # Helicopter
    "chainsaw": "/m/01j4z9",  # Chainsaw
    "siren": "/m/03kmc9 /m/04qvtq /m/012n7d /m/012ndj /m/0dgbq",  # Siren, Police car/Ambulance/Fire engine (siren), Civil defense siren
    "car horn": "/m/0912c9",  # Vehicle horn, car horn, honking
    # Engine; Light, Medium, Heavy engine; Engine knocking, Engine starting, Idling; Accelerating, revving, vroom
    "engine": "/m/02mk9 /t/dd00065 /t/dd00066 /t/dd00067 /m/01h82_ /t/dd00130 /m/07pb8fc /m/07q2z82",
    "train": "/m/07jdr /m/04zmvq /m/0284vy3 /m/01g50p /t/dd00048",  # Train, whistle, horn, Railroad car, wheels squealing
    "church bells": "/m/03w41f",  # Church bell
    "airplane": "/m/0cmf2",  # Fixed-wing aircraft, airplane
    "fireworks": "/m/0g6b5 /g/122z_qxw",  # Fireworks, Firecracker
    "hand saw": "/m/01b82r",  # Sawing (power saws are under Power tool)
}

#: AudioSet mid -> ESC-50 category
ESC50_OF = {mid: category for category, mids in _MIDS_OF.items() for mid in mids.split()}

#: the ESC-50 categories some AudioSet class maps onto
MAPPED = tuple(_MIDS_OF)


def esc50_category(mids: list[str]) -> Optional[str]:
    """The one ESC-50 category the clip's labels name, or None when they name none or several."""
    found = {ESC50_OF[m] for m in mids if m in ESC50_OF}
    return found.pop() if len(found) == 1 else None
