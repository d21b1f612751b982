"""Short benign turns that speak to the assistant or a business as "you", and account
requests that carry an email or a username with the words password, login or reset:
the two kinds a new user found flagged ("are you open", "reset the password for
bob@corp.example"). Written for this project; generated from a seed."""

from __future__ import annotations

import random

_YOU = [
    "are you open",
    "are you open today",
    "are you open on {day}",
    "when are you open on {day}",
    "what time do you close tonight",
    "do you deliver to {city}",
    "do you ship to {country}",
    "do you have {item} in stock",
    "can you help me with my order",
    "can you help me plan a trip to {city}",
    "can you recommend a good {item}",
    "can you explain that again",
    "can you say that more simply",
    "could you check my spelling",
    "are you a bot or a person",
    "are you able to read pdfs",
    "do you speak {language}",
    "what can you do",
    "what do you think of {item}",
    "do you accept {payment}",
    "do you offer student discounts",
    "are you still there",
    "can you remind me what we discussed",
    "did you get my last message",
    "do you know a good recipe for {dish}",
    "can you summarise that in one line",
    "can you write that shorter",
    "would you translate this into {language}",
    "have you heard of {city}",
    "will you be open over the holidays",
]
_ACCOUNT = [
    "please reset the password for {email}",
    "reset my password for account {email} please",
    "I can't log in with {email}, can you send a reset link",
    "my login is {email} and the password stopped working",
    "change the email on my account from {email} to {email2}",
    "the password reset mail never arrived at {email}",
    "unlock the account {user}, I typed the wrong password too often",
    "how do I change the password for user {user}",
    "my username is {user}, I forgot my password",
    "send the login details for {user} to {email}",
    "is {email} the address you have on file for me",
    "I need admin access to the shared drive for {email}",
    "the reset code for {email} expired, can I get a new one",
    "please update the recovery email for {user} to {email}",
    "my account {user} is locked after a password change",
]
_SLOTS = {
    "day": ["sunday", "saturday", "monday", "christmas eve", "easter monday", "friday"],
    "city": ["Lyon", "Porto", "Denver", "Osaka", "Nairobi", "Krakow", "Leeds", "Austin"],
    "country": ["Canada", "Norway", "Brazil", "Japan", "Ireland", "Mexico"],
    "item": ["running shoes", "laptop bag", "espresso machine", "e-reader", "winter tyres"],
    "language": ["Spanish", "German", "Polish", "Japanese", "Portuguese", "Turkish"],
    "payment": ["Apple Pay", "PayPal", "cash", "cheques", "bank transfers", "Klarna"],
    "dish": ["lentil soup", "pad thai", "banana bread", "risotto", "falafel"],
    "email": [
        "bob@corp.example",
        "j.smith@mail.example",
        "ana.ruiz@shop.example",
        "li.wei@uni.example",
        "k.osei@firm.example",
        "tom_b@home.example",
    ],
    "email2": ["bob.new@corp.example", "jsmith2@mail.example", "ana@newmail.example"],
    "user": ["bsmith", "ana_r", "liwei88", "kosei", "tomb", "m.novak"],
}


def _fill(rng: random.Random, template: str) -> str:
    text = template
    for name, values in _SLOTS.items():
        while "{" + name + "}" in text:
            text = text.replace("{" + name + "}", rng.choice(values), 1)
    return text


def _surface(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.35:
        return text[0].upper() + text[1:] + rng.choice(["?", ".", "", "!"])
    if roll < 0.5:
        return rng.choice(["hi, ", "hello! ", "quick question: ", "hey "]) + text
    if roll < 0.6:
        return text + rng.choice([" thanks", " pls", ", thank you", " asap"])
    return text


def rows(seed: int = 20261127) -> list[dict[str, str]]:
    rng = random.Random(seed + 3)
    out: dict[str, dict[str, str]] = {}
    for templates, kind, count in ((_YOU, "short_you", 220), (_ACCOUNT, "account", 160)):
        for _ in range(count * 3):
            if sum(r["source"].endswith(kind) for r in out.values()) >= count:
                break
            text = _surface(rng, _fill(rng, rng.choice(templates)))
            out.setdefault(
                text, {"text": text, "label": "benign", "source": f"synthetic/benign/{kind}"}
            )
    return list(out.values())
