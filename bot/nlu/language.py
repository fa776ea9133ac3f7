"""Which language a borrower's text is in: "en", "es" or None (no clear signal).

A small lexicon of words that belong to one language only (unaccented forms
too: borrowers rarely type accents), plus Spanish accents and ¿ ¡. Words
both languages use in SMS ("ok", "no", "me", "a", "plan", "ya", "bye"?) carry
no weight, so "ok", "no", "150" or "👍" give None. Fast and deterministic.
"""

from __future__ import annotations

import re

from bot.nlu.text import fold

EN = "en"
ES = "es"

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ENGLISH = _words(
    """
    i im ive ill id you u ur your youre yours the to too is are was were be been being it its
    my mine pay paid paying payment payments pymt pmt can cant could couldnt will wont would
    wouldnt want wanna gonna gotta what whats how hows much many do does did dont doesnt didnt
    not yes yeah yep yup yea yah nope nah please pls plz thanks thank thx tx ty tysm hi hello
    hey hiya help card balance owe owed owing week weeks month months next today tomorrow tmrw
    tmr tonight yesterday number wrong call talk person human agent rep representative text
    texting texts txt job lost money sorry already and or of for on at this that with have has
    had havent hasnt get got getting just need needs who when where why am an all off out up
    now rn idk sure cool good great morning afternoon evening night goodbye later soon
    split half due charge charged twice never bought new update updated expired different
    someone somebody else sick afford tight hours cut laid fired work working bill bills rent
    kids late asap one two three four five six seven eight nine ten twenty fifty hundred
    dollars bucks from about there here them they we he she him her by if so some any let
    lemme gimme give till til until than then send sent received check know thru through
    see texting anymore remove unsubscribe guy lady dude wait gimme fine nothing anything
    everything which again info information work does mean wat wut hbu wyd arrangement
    installments monday tuesday wednesday thursday friday saturday sunday weekend paycheck
    payday wife husband mom dad son daughter mother father brother sister car truck
    dealer dealership lot office store cash got gonna into over under after before back only
    also yet because cuz bc coz tho though right wrong yours yourself"""
)

_SPANISH = _words(
    """
    que quiero quieres quiere queria puedo puede pueden podria pagar pago pague pagare pagado
    pagarle pagarlo pagarla pagamos paga pagos debo debe deben debia deuda deudas el la los
    las del de en por para con sin mi mis tu tus su sus es esta estoy estan este eso esto esa
    ese estas estos tengo tiene tienen tenia hoy manana semana semanas mes meses dia dias ano
    dinero trabajo gracias hola buenos buenas buen tardes noches ayuda ayudar ayudame favor
    cuanto cuanta cuantos cuando donde porque pero como un una uno dos tres cuatro cinco todo
    toda todos nada nadie alguien hablar hable persona numero equivocado equivocada tarjeta
    nueva nuevo cambiar saldo cuenta ahorita ahora despues luego lunes martes miercoles jueves
    viernes sabado domingo llamar llame llamen llamame llameme llamenme mensajes mensaje manden
    mande envien mandar voy vas vamos dejar dejen deje molestar molesten quincena perdi perdio
    enfermo
    enferma dolares pesos claro vale bueno listo orale adios chao senor senora muchas mucho
    gusto dale si tambien aqui alla mas menos hacer hecho hice cobraron cobro cobrar mismo
    otra otro vez necesito necesita trabajando partes cuotas plazos abonos mitad pasada
    ayer usted ustedes le les lo se nos te muy bien mal poco hay soy eres fue fui era estaba
    y o al quien quiero entiendo entendi sabe se saber conozco ningun ninguna ni pues
    ocupo ocupa chamba jale lana feria cuate pa pal pos oiga oye disculpe perdon cual cuales
    fecha proxima proximo siguiente tarde temprano noche gano cobro cheque carro camion troca
    esposa esposo hijo hija mama papa hermano hermana enferma pagaste pagamos
    mandaron mande transferencia deposito efectivo oficina dueno vendedor agencia lote
    estaba trabajo nadie contestar responder texto textos borrar quitar lista"""
)

_TOKEN = re.compile(r"[a-z']+")
_SPANISH_MARKS = re.compile(r"[áéíóúñ¿¡ÁÉÍÓÚÑ]")
_ONE_WORD_ONLY = {"y", "o"}  # "y" alone is English "yes"; inside a sentence it is Spanish


def detect_language(text: str) -> str | None:
    """"en", "es", or None when the text has no clear signal ("ok", "no", "150", "👍").

    >>> detect_language("ya pague"), detect_language("I already paid"), detect_language("ok")
    ('es', 'en', None)
    """
    words = [w.replace("'", "") for w in _TOKEN.findall(fold(text))]
    words = [w for w in words if w]
    spanish = english = 0
    for word in words:
        if word in _ONE_WORD_ONLY and len(words) == 1:
            continue
        spanish += word in _SPANISH
        english += word in _ENGLISH
    spanish += 2 * len(_SPANISH_MARKS.findall(text))
    if spanish > english:
        return ES
    if english > spanish:
        return EN
    return None
