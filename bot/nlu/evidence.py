"""The words that carry an intent: what a text must say before the bot acts on it.

The classifier says which intent a text is most like, and how sure it is. A
text that changes an account must also *say* so: a dispute names something
wrong, an opt-out asks us to stop texting, a promise names a day. These
patterns (English, Spanish, common misspellings) are that second check; a
text the classifier is sure about but that carries none of them gets a short
question instead of an action (bot/dialogue/safety.py).

The lists are deliberately about meaning-bearing words, not whole sentences:
"text my wife that im running late" has "text" but no request to stop, and
"delete the text from john" has "delete" but nothing about our messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot.nlu.text import fold

_PATTERNS: dict[str, tuple[str, ...]] = {
    "opt_out": (
        r"\b(texts?|messages?|msgs?) (to )?stop\b", r"\bleave (my phone|me|my number) alone\b",
        r"\b(stop|quit) sending\b", r"\b(off|from) (your|the) (list|texts?|messages?)\b",
        r"\b(elimin|borr|quit|sac)\w*\b.{0,20}\b(numero|mensajes|lista|textos)\b",
        r"\bno (quiero|deseo) que me (contacten|escriban|manden)", r"\bparen de\b",
        r"\bbasta de (textos|mensajes)\b",
        r"\b(stop|quit|cease|quit)\b.{0,25}\b(text|txt|messag|msg|contact|writ|sms|call|bother)",
        r"\b(don'?t|do not|dont|never|no more|no longer)\b.{0,20}\b(text|txt|messag|msg|contact"
        r"|writ|sms)",
        r"\bunsub", r"\bopt(\s|-)?out\b", r"\bremove (me|my|this)\b", r"\btake me off\b",
        r"\bleave me alone\b", r"\bno (more )?(texts?|messages?|msgs?)\b",
        r"\b(dejen|deje|dejar) de\b.{0,25}\b(escrib|mand|envi|textear|llamar|molestar)",
        r"\bno (me|nos)\b.{0,15}\b(escrib|mand|envi|textee|llamen|molest)",
        r"\bno (quiero|deseo)\b.{0,20}\b(mensajes|textos|recibir)",
        r"\b(borr|quit|saque)\w*\b.{0,15}\b(mi|este) numero\b", r"\bdar(me)? de baja\b",
        r"\bya no\b.{0,20}\b(escrib|mand|envi|mensaj)",
    ),
    "wrong_number": (
        r"\bdon\'?t know (that|this|the) (person|guy|lady|name)\b",
        r"\b(nobody|no one|noone) (named|by that name|called|here)\b",
        r"\bnot the (person|one|guy|lady)\b", r"\bthe wrong one\b",
        r"\bnumero (incorrecto|equivocado)\b", r"\b(isn\'?t|is not|not) (theirs|his|hers|them)\b",
        r"\bno (tengo|tiene) (idea|cuenta)\b", r"\bconfund", r"\bno hay (ningun|ninguna|nadie)\b",
        r"\b(es mio|nuevo) desde\b", r"\bno es de (esa|ese|esta|este) persona\b",
        r"\bwrong (number|person|#|phone|guy|lady)\b", r"\bnot (me|mine|my)\b",
        r"\b(i'?m|i am) not (him|her|them|that|the (person|one|guy|lady))\b",
        r"\bthis (is not|isn'?t) (his|her|their|[a-z]+'s) (phone|number|cell)\b",
        r"\bdon'?t know (who|him|her|them|any)",
        r"\bwho is (this )?[a-z]+ ?\?", r"\bno (one|body) (here )?(by|named|called)\b",
        r"\bnew (number|phone)\b", r"\b(this|that) (isn'?t|is not|aint) [a-z]+\W*$",
        r"\bnumero equivocado\b", r"\bequivocad[oa]\b.{0,15}\bnumero\b",
        r"\bno (soy|es mi|conozco)\b", r"\b(se|te) equivoc", r"\bno es (mio|mia|para mi)\b",
        r"\bnumero (nuevo|cambio)\b",
    ),
    "dispute": (
        r"\bdon\'?t think i owe\b", r"\bowe (you )?nothing\b", r"\bcontest",
        r"\bdouble (bill|charg)", r"\bdoble (cargo|cobro)\b", r"\bdifferent amount\b",
        r"\bnot (accurate|fair|right|correct)\b", r"\bunauthori[sz]ed\b",
        r"\bnever (agreed|authori[sz]ed|approved)\b", r"\bnunca (autoric|acept|aprob)",
        r"\bno (lo )?reconozco\b", r"\b(isn\'?t|is not|aint) mine\b", r"\bno es justo\b",
        r"\b(estan|esta) mal\b", r"\brecargo", r"\bfees?\b",
        r"\bwrong\b", r"\bincorrect\b", r"\bmistake\b", r"\berror\b", r"\bdispute\b",
        r"\bdon'?t owe\b", r"\bdo not owe\b", r"\bdont owe\b", r"\bnot (mine|my (debt|loan"
        r"|car|account))\b", r"\bnever (bought|had|signed|took|got|owed)\b",
        r"\bover ?charg", r"\bcharged (me )?(twice|double|too much|more)", r"\btoo (much|high)\b",
        r"\b(isn'?t|is not|not) (right|correct)\b", r"\bdoesn'?t (look|seem) right\b",
        r"\bpaid (it |this |that )?off\b", r"\bscam\b", r"\bfraud\b", r"\bbogus\b",
        r"\bno (lo )?debo\b", r"\bequivocad", r"\berror\b", r"\bno es (mio|mia|correct)",
        r"\bno (esta|es) (bien|correcto)\b", r"\bcobr\w* de mas\b", r"\bdoble cobro\b",
        r"\bnunca (compre|firme|tuve)\b", r"\bfraude\b", r"\bestafa\b", r"\bdisputa",
        r"\b(mal|malo) (el )?(monto|saldo|cobro|cargo)\b",
    ),
    "already_paid": (
        r"\bbeen paid\b", r"\btook care of (it|that|this|the (payment|bill))\b",
        r"\b(zelle|venmo|cash ?app|paypal)(d|ed)?\b",
        r"\bhanded (the |you )?(cash|money|payment)\b",
        r"\b(made|sent|did) (this|last) (month|week)\'?s (payment|pmt)\b",
        r"\bya (se )?(hizo|realic|cumpl|liquid)", r"\bel pago ya\b",
        r"\bya esta (liquidad|pagad|cubiert)",
        r"\b(already|just|alredy|allready|ya) pa(id|yed)\b", r"\bpa(id|yed) (it|this|that|you"
        r"|yesterday|last|on|at|already|today|this|in full|the)\b",
        r"\b(made|sent|did|mailed|dropped off) (the |a |my |that )?(payment|pmt|money|check)",
        r"\bi paid\b", r"\bpayment (went|was) (through|made|sent)\b",
        r"\bya (les |le )?pag", r"\bpague\b", r"\bya (hice|mande|envie|deposite)",
        r"\b(hice|mande|envie) (el|mi) pago\b", r"\bya est[aá] pagad",
    ),
    "hardship": (
        r"\bincapacit", r"\bsin (dinero|trabajo|empleo|chamba|ingresos)\b",
        r"\bno (tengo|hay|tenemos) (trabajo|ingresos?|dinero|empleo)\b", r"\bincome\b",
        r"\blet go\b", r"\bout of (a )?job\b",
        r"\b(bajaron|recortaron|cortaron) (las |mis )?horas\b",
        r"\b(perdi|perdio) (su|mi|el) (empleo|trabajo)\b", r"\bproblemas (economicos|de dinero)\b",
        r"\b(cut|reduced) (my |our )?(hours|shifts)\b",
        r"\bbarely (getting by|making it|surviving)\b",
        r"\b(lost|lose|losing) (my |our )?(job|work|house|home)\b", r"\blaid off\b",
        r"\blay ?off\b", r"\b(got )?fired\b", r"\bunemploy", r"\bout of work\b",
        r"\b(sick|ill|hospital|surgery|cancer|covid|injur|accident|disab|medical|doctor)",
        r"\b(died|passed away|funeral|death)\b", r"\bdivorc", r"\bevict",
        r"\bcan'?t (afford|pay|make)\b", r"\bcannot (afford|pay|make)\b",
        r"\b(no|short on|low on|out of) (money|cash|funds)\b", r"\bbroke\b",
        r"\b(hours|pay) (got )?(cut|reduced)\b", r"\bstruggl", r"\bhard time\b",
        r"\brough (time|month|week)\b", r"\bbehind on\b", r"\bbills\b",
        r"\b(perdi|perdio|sin|me quede sin) (el |mi )?(trabajo|chamba|empleo)",
        r"\bdesemplead", r"\benferm", r"\bhospital", r"\bcirugia\b", r"\baccidente\b",
        r"\b(murio|fallecio|funeral)\b", r"\bno (tengo|tenemos) (dinero|feria|lana|plata)",
        r"\bno (me |nos )?alcanza\b", r"\bno puedo pagar\b", r"\bdificil\b", r"\bcrisis\b",
    ),
    "arrange_plan": (
        r"\bsmaller (chunks|payments|amounts|parts)\b", r"\bchunks\b", r"\barrangement\b",
        r"\bpayment schedule\b", r"\bevery (paycheck|check)\b", r"\bhalf\b.{0,30}\bthe rest\b",
        r"\barreglo\b", r"\bpagos (chiquitos|pequenos|pequenitos)\b", r"\ben partes\b",
        r"\bla mitad\b.{0,30}\bel resto\b",
        r"\bsplit\b", r"\bplan\b", r"\binstall?ments?\b", r"\bpayments? of\b",
        r"\b(in|into) (\d+|two|three|four|five|six) (payments|parts|pieces|pmts)\b",
        r"\b(\d+|two|three|four|five|six) (payments|installments|parts|pmts)\b",
        r"\bhalf (now|today)\b", r"\b(each|every|per|a) (week|month|two weeks|friday|payday)\b",
        r"\b(weekly|biweekly|bi-weekly|monthly)\b", r"\bsmaller payments\b",
        r"\bpay (it )?(off )?(over|in) (time|parts)\b", r"\bbreak (it|this|that) (up|down)\b",
        r"\b(dividir|divida|dividirlo|partir|partes|plazos|mensualidades|abonos)\b",
        r"\b(cada|por) (semana|mes|quincena)\b", r"\b(semanal|quincenal|mensual)",
        r"\bpagos? de\b", r"\bpoco a poco\b",
    ),
    "promise_to_pay": (
        r"\b(get|getting|gets) paid\b", r"\bpay ?day\b", r"\bpaycheck\b", r"\bwill pay\b",
        r"\b(i'?ll|ill|i will|can|gonna|going to) (pay|send|make)\b", r"\bpromise\b",
        r"\b(next|this) (week|month|friday|monday|tuesday|wednesday|thursday|saturday|sunday)",
        r"\blate\b", r"\bextension\b", r"\b(more )?time\b",
        r"\b(me pagan|cobro|quincena|pagare|voy a pagar|puedo pagar)\b",
        r"\b(la )?(proxima|siguiente) semana\b", r"\bmas tiempo\b", r"\bprorroga\b",
    ),
    "pay": (
        r"\bpa(y|ying|yment)\b", r"\bcharge\b", r"\brun (my|the) card\b", r"\btake (it|the|my)",
        r"\bbill (me|my)\b", r"\bcard on file\b", r"\bpagar\b", r"\bpago\b", r"\bcobr",
        r"\babon",
    ),
    # Contact preferences: a time, a day, a language, a pause (bot/nlu/contact_wishes.py
    # reads which); "text me" alone is not a wish.
    "set_contact_preference": (
        r"\b(after|aftr|before|befor|b4|between|past|despues|antes|entre|a partir)\b.{0,12}"
        r"(\d|noon|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|una|dos"
        r"|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce)",
        r"\b(mornings?|afternoons?|evenings?|nights?|mananas|tardes|noches)\b",
        r"\b(en|por) la (manana|tarde|noche)\b",
        r"\b(week ?ends?|week ?days?|weekneds|fin(es)? de semana|entre semana)\b",
        r"\b(mon|tues?|wednes|thurs?|fri|satur|sun)days?\b",
        r"\b(lunes|martes|miercoles|jueves|viernes|sabados?|domingos?)\b",
        r"\b(spanish|espanol|english|ingles|espanish)\b",
        r"\b(paus\w*|hold off|resume|reanud\w*)\b",
        r"\b(reminders?|recordatorios?)\b.{0,30}\b(until|till|til|hasta|for|por)\b",
        r"\b(any ?time|whenever|cualquier hora)\b",
    ),
    "request_human": (
        r"\basesor", r"\btransfer me\b", r"\bllamenme\b",
        r"\b(person|human|agent|rep|representative|someone|somebody|manager|supervisor|real "
        r"person|operator|customer service|live)\b", r"\bcall me\b", r"\btalk to\b",
        r"\bspeak (to|with)\b", r"\b(persona|humano|agente|alguien|gerente|encargad)",
        r"\bllam(en|ame|eme)\b", r"\bhablar con\b",
    ),
}


# How sure the classifier must be before a state change is acted on without a
# question (bot/dialogue/safety.py). Measured with `make nlu-eval` on the
# independent set: with the words required too, no unrelated text acts at 0.6,
# and about four right requests in five act without a question.
ACT_AT = 0.6


@cache
def _compiled(intent: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _PATTERNS.get(intent, ()))


# Entities that by themselves carry an intent: a promise names a day, a plan a
# count of payments, a payment an amount.
_CARRYING_ENTITIES: dict[str, frozenset[str]] = {
    "promise_to_pay": frozenset({"date"}),
    "arrange_plan": frozenset({"count"}),
    "pay": frozenset({"amount"}),
}


def guarded(intent: str) -> bool:
    """Whether acting on `intent` needs the words that carry it."""
    return intent in _PATTERNS


def carries(intent: str, text: str, entities: Iterable[dict] = ()) -> bool:
    """Whether `text` says what `intent` acts on (a word, a phrase or an entity)."""
    if not guarded(intent):
        return True
    wanted = _CARRYING_ENTITIES.get(intent, frozenset())
    for entity in entities:
        if entity.get("entity") in wanted and entity.get("value") not in (None, "invalid"):
            return True
    folded = fold(text or "")
    return any(pattern.search(folded) for pattern in _compiled(intent))
