"""English: the cue words, question shapes and needs of questions written in English."""

from __future__ import annotations

from bot.domain.languages.data import LanguageData, words

LANGUAGE = LanguageData(
    code="en",
    script="Latn",
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
    place_before=words("in at to from for"),
    generic_words=words(
        "panel panels panelist session sessions meeting meetings event events conference "
        "roundtable high level high-level document documents say says said mention mentioned "
        "talk tell know please thank thanks will would could should also there here find found "
        "get obtain happen happens happening possible available relate relates related stand "
        "stands mean means meaning can may theme themes topic topics subject note notes "
        "concept held hold holds located situated"),
    yes_no_openers=("is", "are", "does", "do", "did", "will", "would", "can", "could", "has",
                    "have", "was", "were", "should", "shall", "may", "might", "any", "anything",
                    "anythng"),
    open_words=("what", "which", "who", "whom", "whose", "where", "when", "why", "how"),
    list_words=("list\\w*", "all the", "all of", "every", "full", "complete", "which are",
                "what are", "enumerate", "questions", "points", "items"),
    title_words=("titles?", "titled", "official name", "full name", "exact name",
                 "what is (?:the (?:panel|meeting|session|event)|it) called",
                 "name of the (?:panel|meeting|session|event)"),
    ordinals=(("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("fifth", 5),
              ("sixth", 6), ("seventh", 7), ("eighth", 8)),
    who=("who", "whom", "any", "announced", "confirmed", "named", "designated"),
    name=("names?", "called"),
    role=("panel+ists?", "moderat\\w*", "chair\\w*", "speakers?", "keynote", "hosts?",
          "facilitat\\w*", "rapporteur\\w*", "presenters?", "ministers?", "ambassadors?",
          "delegates?"),
    link=("links?", "urls?", "websites?", "web ?site", "sites?", "pages?", "download", "zoom",
          "webex", "teams", "interprefy", "kudo", "livestream", "webcast", "stream\\w*"),
    join=("join", "joining", "watch", "livestream", "webcast", "stream\\w*", "web ?tv",
          "connect\\w*", "log ?in", "access", "attend", "participate", "zoom", "webex", "teams",
          "interprefy", "kudo", "registr\\w*"),
    find=("where (?:can|do) (?:i|we) (?:find|get|read|download)",
          "(?:what|which) (?:should|must|do|can) (?:i|we) read",
          "background (?:reading|documents?|material)", "reading list"),
    language=("languages?", "interpreted into"),
    email=("e-?mails?", "mail"),
    phone=("phone", "telephone", "call", "whatsapp"),
    room=("rooms?", "hall", "building"),
    how_many=("how many", "number of"),
    when=("when", "what year", "which year", "date", "deadlines?", "due"),
    countries=("countries", "country", "member states", "nations"),
    which=("which", "what", "how many"),
    where=("where", "venue"),
    meal=("lunch\\w*", "dinner\\w*", "breakfast", "meals?", "food", "catering", "coffee",
          "snacks?", "refreshments?", "reception", "buffet"),
    dress=("dress code", "dress\\w*", "attire", "business suit", "clothes", "clothing"),
    lodging=("hotels?", "accommodation\\w*", "lodging"),
    travel=("visas?", "schengen", "parking", "car park", "shuttle", "taxi", "airport", "bus",
            "tram", "flights?", "invitation letter"),
    network=("wi-?fi", "internet access", "wireless", "password"),
    weather=("weather", "snow\\w*", "rain\\w*", "temperature\\w*", "forecast"),
    recording=("record\\w*", "replay", "webcast\\w*", "web ?tv", "on demand"),
    says=("say", "says", "said", "conclude\\w*", "conclusions?", "recommend\\w*", "find",
          "findings?", "state", "states", "contain\\w*", "mention\\w*", "cover\\w*",
          "propose\\w*", "call\\w* for", "address\\w*", "urge\\w*", "rank\\w*", "show\\w*",
          "highlight\\w*", "identif\\w*", "describe\\w*", "discuss\\w*", "stress\\w*",
          "emphasi[sz]\\w*", "decide\\w*", "request\\w*", "according to", "in the report",
          "in (?:that|this) resolution"),
    reading=("(?:what|which) (?:should|must|do|can) (?:i|we) read", "read (?:before|ahead)",
             "background (?:reading|documents?|papers?|material)", "reading (?:list|material)",
             "supporting documents?", "(?:what|which) documents", "documents? (?:listed|to read)",
             "prepare for the (?:panel|meeting|session)"),
    document_kinds=(("report", ("report",)), ("resolution", ("resolution",)),
                    ("decision", ("decision",)), ("declaration", ("declaration",)),
                    ("note", ("note by",))),
    sentence_end=".!?…",
    name_words=words("of the and for on"),
)
