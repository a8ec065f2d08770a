"""French: the cue words, question shapes and needs of questions written in French."""

from __future__ import annotations

from bot.domain.languages.data import LanguageData, words

LANGUAGE = LanguageData(
    code="fr",
    script="Latn",
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
    place_before=words("a en depuis pour au aux"),
    generic_words=words(
        "panel seance session reunion evenement table ronde haut niveau dit disent quel "
        "quelle quels quelles cet cette ces peut puis trouver trouve obtenir passe disponible "
        "disponibles tient tiennent tenir lieu peux pouvons pouvez theme themes sujet sujets "
        "note notes concept"),
    yes_no_openers=("est-ce", "y a-t-il", "y aura-t-il", "peut-on", "faut-il", "existe-t-il"),
    open_words=("quel\\w*", "qui", "que", "quoi", "ou", "quand", "pourquoi", "comment",
                "combien", "lequel", "laquelle", "qu'"),
    list_words=("liste\\w*", "tous", "toutes", "quels sont", "quelles sont", "questions",
                "points"),
    title_words=("titres?", "intitule", "nom (?:officiel|exact|complet)",
                 "comment s'appelle", "comment (?:se nomme|s'intitule)"),
    ordinals=(("premier", 1), ("premiere", 1), ("deuxieme", 2), ("second", 2), ("seconde", 2),
              ("troisieme", 3), ("quatrieme", 4), ("cinquieme", 5), ("sixieme", 6),
              ("septieme", 7), ("huitieme", 8)),
    who=("qui", "annonce\\w*", "nomme\\w*", "un ministre", "des ministres"),
    name=("noms?", "s'appelle"),
    role=("panelistes?", "moderat\\w*", "president\\w*", "orateurs?", "intervenants?",
          "presentateurs?", "ministres?", "ambassadeurs?", "rapporteur\\w*"),
    link=("liens?", "sites?", "pages?", "telecharger", "zoom", "webex", "teams"),
    join=("rejoindre", "connecter", "participer", "acceder", "inscri\\w*", "zoom", "webex",
          "teams"),
    find=("que (?:dois-je|devrais-je|faut-il) lire", "documents? de (?:base|reference)",
          "ou (?:puis-je|peut-on|trouver|se trouvent)"),
    language=("langues?",),
    email=("courriels?", "adresse electronique", "e-?mails?"),
    phone=("telephone", "appeler", "whatsapp"),
    room=("salles?", "batiment"),
    how_many=("combien d[e']", "nombre d[e']"),
    when=("quand", "quelle annee", "en quelle annee", "date", "date limite"),
    countries=("pays", "etats membres", "nations"),
    which=("quels?", "quelles?", "combien"),
    where=("ou", "lieu"),
    meal=("dejeuner\\w*", "diner", "repas", "restauration", "cafe", "collation", "buffet"),
    dress=("tenue", "vetements?", "costume", "cravate"),
    lodging=("hebergement", "hotels?"),
    travel=("visas?", "stationnement", "navette", "aeroport", "taxi", "bus", "vols?",
            "lettre d'invitation"),
    network=("wi-?fi", "mot de passe"),
    weather=("meteo", "neige\\w*", "pluie", "froid", "temperature\\w*"),
    recording=("enregistr\\w*", "rediffusion"),
    says=("selon", "d'apres", "dans le rapport", "dit", "disent", "conclu\\w*", "recommand\\w*",
          "contien\\w*", "mentionn\\w*", "propos\\w*", "prevoi\\w*"),
    reading=("que (?:dois-je|devrais-je|faut-il) lire", "lire avant",
             "documents? (?:de base|de reference|d'appui|a l'appui|justificatifs?)",
             "quels documents", "documentation (?:de base|d'appui)",
             "(?:me |se )?preparer (?:a|pour) (?:la reunion|la table ronde|le panel|la session)"),
    document_kinds=(("report", ("rapport",)), ("resolution", ("resolution",)),
                    ("decision", ("decision",)), ("declaration", ("declaration",)),
                    ("note", ("note du",))),
    sentence_end=".!?…",
    name_words=words("de des du la le les et"),
)
