"""The words that route a question, grouped per language (English, French, Spanish).

Every entry is a regular-expression alternative matched on folded text (lower case, accents
removed) as a whole word, or a plain word list for the subject check. A new language adds one
`LanguageCues` to `CUES`; nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.extractive import words


@dataclass(frozen=True)
class LanguageCues:
    """The cue words of one language."""

    schedule: tuple[str, ...]  # the question is about a time, a date, a start or an end
    time_nouns: tuple[str, ...]  # "what/which ..." followed by one of these asks for a time
    duration: tuple[str, ...]  # how long the meeting lasts
    midpoint: tuple[str, ...]  # the halfway point of the meeting
    rules_strong: tuple[str, ...]  # a speaking rule, whatever else is said
    amount: tuple[str, ...]  # an amount of speaking time ("10 minutes", "a quarter of an hour")
    how_long: tuple[str, ...]  # "how long", "more time"
    speaking: tuple[str, ...]  # speaking, speakers and their roles
    in_person: tuple[str, ...]  # attending in the room
    remote: tuple[str, ...]  # attending remotely
    comparison: tuple[str, ...]  # comparing two ways of attending
    queue: tuple[str, ...]  # the order of speakers
    question_words: tuple[str, ...]  # what/who/which... (not when/how long)
    small_talk: tuple[str, ...]
    greetings: tuple[str, ...]  # opening phrases that are not part of the question
    morning: tuple[str, ...]
    afternoon: tuple[str, ...]
    evening: tuple[str, ...]
    night: tuple[str, ...]
    function_words: frozenset[str]  # also used to guess the language
    meeting_words: frozenset[str]  # words true of the meeting itself (panel, session, it...)
    time_words: frozenset[str]  # words of a time question (when, start, early, hour...)
    asker_words: frozenset[str]  # who asks and how they attend (team, join, follow...)


EN = LanguageCues(
    schedule=("when", "time", "what time", "which time", "time is it", "what day", "which day",
              "dates?", "start\\w*", "begins?", "beginning", "ends?", "ending", "finish\\w*",
              "over", "mornings?", "afternoons?", "evenings?", "tonight", "nights?",
              "midnight", "hours?", "o'clock", "time ?zones?", "local time", "my time",
              "schedule\\w*", "timing", "how long", "duration", "lasts?", "early", "late",
              "get up", "wake up", "up at", "halfway", "half-way", "mid-?point",
              "under ?way", "still (?:on|going|running)", "weekday", "kicks? off"),
    time_nouns=("time", "times", "hour", "hours", "day", "date", "weekday", "duration",
                "timing", "schedule", "start time", "end time"),
    duration=("how long", "duration", "how much time", "how many hours", "how many minutes",
              "lasts?", "length"),
    midpoint=("halfway", "half-way", "mid-?point", "half time", "halftime", "second half",
              "first half", "middle of the (?:panel|session|meeting|event|discussion)"),
    rules_strong=("limits?", "limited", "time limit", "maximum", "max", "ceiling", "cap",
                  "capped", "cumulative", "accumulative", "priority", "prioriti\\w*",
                  "speaking time", "who speaks first", "speaking order", "order of speakers",
                  "speakers' list order"),
    amount=("minutes?", "mins?", "\\d+ ?-?min\\w*", "quarter of an hour", "half an hour"),
    how_long=("how long", "how much time", "less time", "more time", "enough time",
              "same time", "shorten"),
    speaking=("speak\\w*", "talk\\w*", "interven\\w*", "speakers?", "present", "presentations?",
              "statements?", "speech\\w*", "panel+ists?", "participants?", "remote\\w*",
              "online", "video ?link", "in the room", "secretariat", "chair\\w*",
              "moderat\\w*", "keynote", "ministers?", "ambassadors?", "delegat\\w*",
              "floor", "allowed"),
    in_person=("in person", "in-person", "in the room", "on site", "on-site", "physically",
               "fly\\w*", "travel\\w*", "come to", "coming to", "the room"),
    remote=("remote\\w*", "online", "video\\w*", "virtual\\w*", "zoom", "by video",
            "connect\\w*"),
    comparison=("advantage\\w*", "disadvantage\\w*", "penali[sz]\\w*", "rather than",
                "instead of", "better", "worse", "same", "different", "difference", "compared",
                "versus", "vs", "more", "less"),
    queue=("queue\\w*", "back of the line", "end of the line", "wait(?:ing)? list",
           "turn to speak", "(?:called|go|goes|speak|speaks|come|comes) (?:last|first)"),
    question_words=("what", "who", "whom", "whose", "which", "whats", "what's"),
    small_talk=("hi", "hello", "hey", "thanks?", "thank you", "ok", "okay", "good morning",
                "good afternoon", "good evening", "great", "cheers"),
    greetings=("good (?:morning|afternoon|evening)", "hi", "hello", "hey", "dear \\w+",
               "dear colleagues", "greetings"),
    morning=("mornings?", "a\\.?m\\.?", "(?:get|wake|be) up early", "up early", "early morning"),
    afternoon=("afternoons?", "p\\.?m\\.?"),
    evening=("evenings?", "tonight"),
    night=("nights?", "midnight", "middle of the night", "night-?time", "overnight"),
    function_words=words(
        "the a an is are was were be been am what when where who how which can could do does "
        "did will would shall should in of to for i my me we our us you your they their them "
        "there it its be with about on at by from this that these those and or not if so as "
        "have has had any some there's it's i'm im"),
    meeting_words=words(
        "panel panels session sessions meeting meetings event events discussion discussions "
        "roundtable round table conference it this that thing one here whole high level"),
    time_words=words(
        "when time times what which day days date dates hour hours minute minutes start "
        "starts started starting begin begins beginning began end ends ending finish finishes "
        "finished over long duration last lasts length early late earlier later morning "
        "mornings afternoon afternoons evening evenings night nights midnight tonight today "
        "tomorrow week weekday local zone zones clock o'clock schedule scheduled timing "
        "wake kick off get up halfway midpoint mid point half second first middle still going "
        "running "
        "under way already yet exactly precisely roughly around approximately calendar "
        "year year's pm am difference take place held hold happen happening run runs go goes "
        "open opens close closes done january february march april may june july august "
        "september october november december monday tuesday wednesday thursday friday "
        "saturday sunday"),
    asker_words=words(
        "i we our people team colleagues colleague delegation delegations delegate delegates "
        "staff office desk ministry minister ambassador mission capital focal point experts "
        "expert us me my myself they them follow join joining attend attending watch watching "
        "connect connecting tune listen see catch make need want wonder ask know tell confirm "
        "check sure kindly please dear thanks thank leave leaving miss missing plan planning "
        "set arrange book block clash clashing overlap overlapping conflict free busy have "
        "another other call able stay would be sits sit based located live living there "
        "from back home be able up for whether without pls plz please"),
)

FR = LanguageCues(
    schedule=("quand", "quelle heure", "a quelle heure", "heures?", "jour", "date", "dates",
              "commence\\w*", "debut\\w*", "termine\\w*", "fin", "finit", "matin\\w*",
              "apres-midi", "soir\\w*", "nuit", "fuseau\\w*", "horaires?", "dure", "duree",
              "combien de temps dure", "tot", "tard", "se lever", "lever", "mi-parcours",
              "mi-temps", "moitie", "en cours", "heure locale"),
    time_nouns=("heure", "heures", "jour", "date", "duree", "horaire"),
    duration=("combien de temps", "duree", "dure", "durera", "combien d'heures"),
    midpoint=("mi-parcours", "mi-temps", "moitie", "milieu (?:du|de la) "
              "(?:panel|seance|reunion|session|debat)"),
    rules_strong=("limites?", "plafon\\w*", "cumul\\w*", "priorite", "prioritaires?",
                  "temps de parole", "limite", "qui parle en premier", "ordre de passage",
                  "ordre des orateurs"),
    amount=("minutes?", "quart d'heure", "demi-heure"),
    how_long=("combien de temps", "pendant combien de temps", "quelle duree",
              "moins de temps", "plus de temps", "meme temps", "raccourcir"),
    speaking=("parler", "parle\\w*", "prendre la parole", "panelistes?", "intervenir",
              "interviendr\\w*", "intervention\\w*", "orateurs?", "a distance", "en ligne",
              "dans la salle", "secretariat", "president\\w*", "moderat\\w*", "ministres?",
              "ambassadeur\\w*", "delegu\\w*", "disposer", "discours"),
    in_person=("en personne", "sur place", "dans la salle", "en presentiel", "presentiel",
               "venir a", "me deplacer", "se deplacer", "voyager", "la salle"),
    remote=("a distance", "en ligne", "visio\\w*", "virtuel\\w*", "zoom", "par video"),
    comparison=("avantage\\w*", "desavantage\\w*", "penalis\\w*", "plutot que", "au lieu de",
                "mieux", "meme", "different\\w*",
                "difference", "par rapport", "plus", "moins"),
    queue=("file d'attente", "tour de parole", "(?:passe\\w*|parle\\w*) en (?:dernier|premier)",
           "derniere position"),
    question_words=("que", "qu'est-ce", "quel", "quelle", "quels", "quelles", "qui", "quoi"),
    small_talk=("bonjour", "salut", "merci", "bonsoir", "merci beaucoup", "d'accord"),
    greetings=("bonjour", "bonsoir", "salut", "chers collegues", "madame", "monsieur"),
    morning=("matin\\w*", "se lever tot", "lever tot"),
    afternoon=("apres-midi",),
    evening=("soir\\w*",),
    night=("nuit", "minuit", "en pleine nuit"),
    function_words=words(
        "le la les des est quel quelle quels quelles quand ou qui comment combien du au aux "
        "une pour avec sur dans il elle je puis peut sont a ce cette y est-ce heure ai "
        "nous vous notre nos mon ma mes de d l un et en ne pas se sera t"),
    meeting_words=words(
        "panel panels session seance reunion evenement debat table ronde discussion ca cela "
        "ce il elle tout toute haut niveau"),
    time_words=words(
        "quand heure heures jour date dates commence commencer debut debute termine terminer "
        "fin finit dure duree matin matinee apres midi soir soiree nuit minuit tot tard "
        "fuseau horaire horaires locale lever moitie parcours temps mi cours encore deja "
        "lieu deroule aura passe ouvre ferme janvier fevrier mars avril mai juin juillet aout "
        "septembre octobre novembre decembre lundi mardi mercredi jeudi vendredi samedi "
        "dimanche"),
    asker_words=words(
        "nous notre equipe collegues collegue delegation delegues delegue ministere ministre "
        "ambassadeur mission capitale suivre suivrai participer assister regarder connecter "
        "faut faudra dois devrai bloquer quitter partir prevoir reunion autre pour moi chez "
        "depuis ici la-bas si sans svp"),
)

ES = LanguageCues(
    schedule=("cuando", "que hora", "a que hora", "horas?", "fecha", "dia", "empieza",
              "comienza", "inicia", "termina", "acaba", "manana", "tarde", "noche",
              "zona horaria", "horarios?", "dura", "duracion", "cuanto dura", "madrugar",
              "madrugada", "temprano", "levantar\\w*", "mitad", "en curso", "sigue",
              "hora local", "principio", "final"),
    time_nouns=("hora", "horas", "dia", "fecha", "duracion", "horario"),
    duration=("cuanto dura", "cuanto tiempo dura", "duracion", "dura", "durara",
              "cuantas horas"),
    midpoint=("mitad", "medio tiempo", "a medio camino", "punto medio"),
    rules_strong=("limite", "tope", "maximo", "acumulad\\w*", "prioridad", "tiempo de palabra",
                  "tiempo de intervencion", "quien habla primero", "orden de intervencion\\w*",
                  "orden de los oradores"),
    amount=("minutos?", "cuarto de hora", "media hora"),
    how_long=("cuanto tiempo", "durante cuanto tiempo", "que duracion", "menos tiempo",
              "mas tiempo", "mismo tiempo", "acortar"),
    speaking=("hablar", "habla\\w*", "intervenir", "intervengo", "intervencion\\w*",
              "panelistas?", "participantes?", "en linea", "en la sala", "distancia",
              "exposicion\\w*", "declaracion\\w*", "oradores?", "secretaria", "presidente\\w*",
              "moderador\\w*", "ministr\\w*", "embajador\\w*", "delegad\\w*", "discurso"),
    in_person=("en persona", "presencial\\w*", "en la sala", "la sala", "viajar", "volar",
               "desplazar\\w*", "venir a", "ir a"),
    remote=("a distancia", "en linea", "remot\\w*", "virtual\\w*", "zoom", "por video",
            "conect\\w*", "online"),
    comparison=("ventaja\\w*", "desventaja\\w*", "penaliz\\w*", "en vez de", "en lugar de",
                "mejor", "peor", "mismo", "misma",
                "diferente\\w*", "diferencia", "frente a", "comparado", "mas", "menos"),
    queue=("cola", "turno", "al final de la lista", "ultimo lugar",
           "(?:habla\\w*|intervien\\w*) (?:al final|(?:de )?ultimos?|primero)"),
    question_words=("que", "quien", "quienes", "cual", "cuales"),
    small_talk=("hola", "gracias", "buenos dias", "buenas tardes", "buenas noches",
                "muchas gracias", "vale"),
    greetings=("hola", "buenos dias", "buenas tardes", "buenas noches", "estimados? \\w+"),
    morning=("por la manana", "de la manana", "en la manana", "la manana", "madrugar",
             "temprano"),
    afternoon=("por la tarde", "de la tarde", "en la tarde", "la tarde"),
    evening=("por la noche", "de la noche", "la noche"),
    night=("madrugada", "medianoche"),
    function_words=words(
        "el los las es cual cuales que cuando donde quien quienes como cuanto cuantos del al "
        "una para con en hay son puedo se y mi hora panel me toca estoy sera"),
    meeting_words=words(
        "panel sesion reunion evento debate mesa redonda discusion eso esto todo alto nivel"),
    time_words=words(
        "cuando hora horas dia fecha empieza empezar comienza comienzo inicia inicio termina "
        "terminar acaba final fin dura duracion manana tarde noche madrugar madrugada "
        "temprano levantar mitad curso sigue todavia aun zona horaria horario local medio "
        "tiempo principio lugar celebra enero febrero marzo abril mayo junio julio agosto "
        "septiembre octubre noviembre diciembre lunes martes miercoles jueves viernes sabado "
        "domingo"),
    asker_words=words(
        "nosotros nuestro nuestra equipo colegas colega delegacion delegados delegado "
        "ministerio ministro embajador mision capital seguir participar asistir ver "
        "conectar toca tengo tendre debo bloquear salir irme otra otro reunion para mi "
        "desde aqui alla estoy estamos si sin porfa favor"),
)

CUES: dict[str, LanguageCues] = {"en": EN, "fr": FR, "es": ES}
