"""Spanish: the cue words, question shapes and needs of questions written in Spanish."""

from __future__ import annotations

from bot.domain.languages.data import LanguageData, words

LANGUAGE = LanguageData(
    code="es",
    script="Latn",
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
    place_before=words("en desde para a"),
    generic_words=words(
        "evento sesion reunion mesa alto nivel documento documentos dice dicen cual cuales "
        "habra hay puedo encontrar encuentran encuentra encuentro obtener pasa disponible "
        "puede pueden podemos tema temas asunto nota"),
    yes_no_openers=("hay", "habra", "existe", "se habla", "se menciona", "tiene", "puede", "es",
                    "esta"),
    open_words=("que", "cual\\w*", "quien\\w*", "donde", "cuando", "por que", "como",
                "cuant\\w*", "para que"),
    list_words=("lista\\w*", "todos", "todas", "cuales son", "preguntas", "cuestiones"),
    title_words=("titulos?", "nombre (?:oficial|exacto|completo)", "como se llama",
                 "denominacion"),
    ordinals=(("primer", 1), ("primera", 1), ("primero", 1), ("segundo", 2), ("segunda", 2),
              ("tercer", 3), ("tercera", 3), ("tercero", 3), ("cuarto", 4), ("cuarta", 4),
              ("quinto", 5), ("quinta", 5), ("sexto", 6), ("septimo", 7), ("octavo", 8)),
    who=("quien", "quienes", "anunciad\\w*", "designad\\w*", "alguno?s?"),
    name=("nombres?", "se llama"),
    role=("panelistas?", "moderador\\w*", "president\\w*", "oradores?", "ponentes?",
          "ministros?", "embajador\\w*", "relator\\w*"),
    link=("enlaces?", "vinculos?", "sitios?", "paginas?", "descargar", "zoom", "webex",
          "teams"),
    join=("unirme", "unirse", "conectar\\w*", "participar", "inscri\\w*", "registr\\w*", "zoom",
          "webex", "teams"),
    find=("que (?:debo|deberia|tengo que) leer", "documentos? de (?:base|referencia)",
          "donde (?:puedo|se pueden|se encuentran?|encuentro|encontrar)"),
    language=("idiomas?", "lenguas?"),
    email=("correo\\w*", "e-?mails?"),
    phone=("telefono", "llamar", "whatsapp"),
    room=("salas?", "edificio"),
    how_many=("cuant[oa]s", "numero de"),
    when=("cuando", "que ano", "en que ano", "fecha", "fecha limite", "plazo"),
    countries=("paises", "pais", "estados miembros"),
    which=("que", "cuales?", "cuantos"),
    where=("donde", "lugar"),
    meal=("almuerzo\\w*", "comida\\w*", "cena", "desayuno", "refrigerio", "aperitivo", "cafe"),
    dress=("traje", "ropa", "vestimenta", "etiqueta", "corbata"),
    lodging=("hoteles", "hotel", "alojamiento", "hospedaje"),
    travel=("visas?", "visados?", "estacionamiento", "aparcamiento", "aeropuerto", "vuelos?",
            "taxi", "carta de invitacion"),
    network=("wi-?fi", "contrasena", "red inalambrica"),
    weather=("clima", "nieve", "lluvia", "frio", "temperatura\\w*"),
    recording=("grabaci\\w*", "grabad\\w*", "retransmision\\w*"),
    says=("segun", "en el informe", "dice", "dicen", "conclu\\w*", "recomiend\\w*",
          "contien\\w*", "mencion\\w*", "propone\\w*", "establece\\w*", "plantea\\w*",
          "aborda\\w*"),
    reading=("que (?:debo|deberia|tengo que) leer", "leer antes",
             "documentos? (?:de base|de referencia|de apoyo|justificativos?)",
             "que documentos", "documentacion (?:de base|de apoyo)",
             "preparar(?:me)? (?:para )?(?:la reunion|el panel|la mesa redonda|la sesion)"),
    document_kinds=(("report", ("informe",)), ("resolution", ("resolucion",)),
                    ("decision", ("decision",)), ("declaration", ("declaracion",)),
                    ("note", ("nota del",))),
    sentence_end=".!?…",
    name_words=words("de del la el los las y sobre"),
)
