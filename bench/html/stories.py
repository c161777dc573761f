# ruff: noqa: E501
"""Hand-written news stories for the HTML benchmark: agency copy in German, French, Italian, English.

Each story is what a reader sees on the page (kicker, headline, lead, key points, body
paragraphs, pictures with caption and credit) plus the agency attribution the page prints.
``pages.py`` dresses each story in the markup of every failure class; the story is the gold.
"""

from __future__ import annotations

from typing import Any

STORIES: list[dict[str, Any]] = [
    {
        "id": "de-tempo30",
        "lang": "de",
        "kicker": "Verkehr",
        "headline": "Basel führt Tempo 30 in weiteren Quartieren ein",
        "lead": "Der Basler Regierungsrat will in sechs weiteren Quartieren Tempo 30 einführen. Damit sollen Anwohnerinnen und Anwohner besser vor Lärm geschützt werden.",
        "key_points": [
            "Basel will in sechs weiteren Quartieren Tempo 30 einführen.",
            "Der Regierungsrat begründet den Schritt mit dem Lärmschutz.",
            "Das Gewerbe kritisiert die Pläne.",
        ],
        "place": "Basel",
        "agency": "sda",
        "agency_name": "Keystone-SDA",
        "body": [
            "Der Regierungsrat des Kantons Basel-Stadt hat am Dienstag ein neues Verkehrskonzept vorgestellt. Betroffen sind rund 60 Strassenabschnitte mit einer Gesamtlänge von 18 Kilometern, darunter mehrere Hauptachsen im Kleinbasel.",
            "Die Regierung stützt sich auf das eidgenössische Umweltschutzgesetz. Dieses verpflichtet die Behörden, übermässigen Strassenlärm an der Quelle zu bekämpfen. Tempo 30 senke den Lärmpegel um bis zu drei Dezibel, sagte die Vorsteherin des Bau- und Verkehrsdepartements vor den Medien.",
            "Der Gewerbeverband kritisierte die Pläne scharf. Lieferwagen und Handwerker stünden schon heute zu oft im Stau, teilte der Verband mit. Auch die bürgerlichen Parteien im Grossen Rat kündigten Widerstand an und verlangen eine Volksabstimmung.",
            "Die neuen Tempolimiten sollen ab dem kommenden Frühling schrittweise signalisiert werden. Gegen die Verfügungen können Betroffene während 30 Tagen Einsprache erheben.",
        ],
        "images": [
            {
                "file": "tempo30-basel.jpg",
                "caption": "Ein Tempo-30-Signal an der Feldbergstrasse in Basel.",
                "credit": "KEYSTONE/Georgios Kefalas",
                "creator": "Georgios Kefalas",
                "holder": "Keystone-SDA",
            },
            {
                "file": "gewerbe-basel.jpg",
                "caption": "Lieferwagen in der Basler Innenstadt.",
                "credit": "KEYSTONE/Anthony Anex",
                "creator": "Anthony Anex",
                "holder": "Keystone-SDA",
            },
        ],
    },
    {
        "id": "de-kurzarbeit",
        "lang": "de",
        "kicker": "Arbeitsmarkt",
        "headline": "Bundesregierung verlängert das Kurzarbeitergeld bis Ende 2021",
        "lead": "Die deutsche Bundesregierung will das Kurzarbeitergeld wegen der Corona-Krise auf bis zu 24 Monate verlängern. Darauf verständigten sich die Spitzen der Koalition in der Nacht.",
        "key_points": [
            "Das Kurzarbeitergeld wird auf bis zu 24 Monate verlängert.",
            "Die Kosten werden auf zehn Milliarden Euro geschätzt.",
        ],
        "place": "Berlin",
        "agency": "dpa",
        "agency_name": "dpa",
        "body": [
            "Regierungssprecher Steffen Seibert bestätigte die Einigung am Sonntag in Berlin. Die Verlängerung gilt für Betriebe, die bis Ende des Jahres Kurzarbeit angemeldet haben. Die Kosten für die Bundesagentur für Arbeit werden auf rund zehn Milliarden Euro geschätzt.",
            "Arbeitsminister Hubertus Heil sprach von einer Brücke über das Tal der Krise. Die Beschäftigten bräuchten Sicherheit, damit sie nicht in die Arbeitslosigkeit fielen, sagte der SPD-Politiker der Nachrichtenagentur dpa.",
            "Kritik kam von der Opposition. Die FDP warnte davor, nicht überlebensfähige Betriebe künstlich am Leben zu erhalten. Die Grünen verlangten, die Kurzarbeit stärker mit Weiterbildung zu verbinden.",
            "Auch die Regeln für den erleichterten Zugang zur Grundsicherung sollen verlängert werden. Der Bundestag soll die Gesetzesänderung noch im Herbst beschliessen.",
        ],
        "images": [
            {
                "file": "heil-berlin.jpg",
                "caption": "Arbeitsminister Hubertus Heil spricht in Berlin vor den Medien.",
                "credit": "dpa/Michael Kappeler",
                "creator": "Michael Kappeler",
                "holder": "dpa",
            },
            {
                "file": "werkhalle.jpg",
                "caption": "Eine leere Werkhalle in Wolfsburg.",
                "credit": "dpa/Julian Stratenschulte",
                "creator": "Julian Stratenschulte",
                "holder": "dpa",
            },
        ],
    },
    {
        "id": "fr-yemen",
        "lang": "fr",
        "kicker": "Diplomatie",
        "headline": "Genève accueille une conférence sur le Yémen",
        "lead": "Les Nations unies réunissent mardi à Genève les représentants des parties au conflit yéménite pour une nouvelle série de discussions.",
        "key_points": [
            "Les discussions portent sur l'échange de prisonniers.",
            "Une trêve fragile tient depuis un an.",
        ],
        "place": "Genève",
        "agency": "afp",
        "agency_name": "AFP",
        "body": [
            "Les discussions, prévues pour durer dix jours, doivent porter en priorité sur un nouvel échange de prisonniers, a indiqué un porte-parole de l'ONU lors d'un point de presse au Palais des Nations.",
            "Une trêve négociée sous l'égide des Nations unies tient depuis un an, malgré des violations signalées des deux côtés. Plus de 150 000 personnes ont été tuées depuis le début du conflit, selon les estimations des organisations humanitaires.",
            "L'envoyé spécial de l'ONU a salué un climat constructif lors des rencontres préparatoires. Il a toutefois averti que les questions économiques, dont le paiement des salaires des fonctionnaires, restaient très difficiles.",
            "Le Comité international de la Croix-Rouge se tient prêt à organiser les transferts de prisonniers si un accord est trouvé, a précisé une porte-parole de l'organisation.",
        ],
        "images": [
            {
                "file": "palais-des-nations.jpg",
                "caption": "Le Palais des Nations à Genève, siège européen de l'ONU.",
                "credit": "AFP/Fabrice Coffrini",
                "creator": "Fabrice Coffrini",
                "holder": "AFP",
            },
            {
                "file": "envoye-onu.jpg",
                "caption": "L'envoyé spécial de l'ONU pour le Yémen lors d'une conférence de presse.",
                "credit": "AFP/Salvatore Di Nolfi",
                "creator": "Salvatore Di Nolfi",
                "holder": "AFP",
            },
        ],
    },
    {
        "id": "fr-glaciers",
        "lang": "fr",
        "kicker": "Climat",
        "headline": "Les glaciers suisses ont perdu 4% de leur volume en un an",
        "lead": "Les glaciers suisses ont de nouveau fondu à un rythme record cette année. Ils ont perdu 4% de leur volume, selon le réseau de surveillance des glaciers.",
        "key_points": [
            "Les glaciers ont perdu 4% de leur volume en un an.",
            "Le manque de neige en hiver a accéléré la fonte.",
        ],
        "place": "Berne",
        "agency": "ats",
        "agency_name": "Keystone-ATS",
        "body": [
            "Après la perte record de 6% enregistrée l'an dernier, les glaciers ont continué de fondre de manière spectaculaire, a indiqué jeudi l'Académie suisse des sciences naturelles. Jamais deux années aussi extrêmes ne s'étaient succédé.",
            "Le faible enneigement de l'hiver et les fortes chaleurs de l'été sont en cause. En août, la limite du zéro degré a atteint une altitude record de 5298 mètres, ont précisé les glaciologues.",
            "Dans le sud et l'est du pays, des glaciers ont fondu à un rythme encore jamais observé. Plusieurs petits glaciers ont même complètement disparu et ne sont plus mesurés.",
            "Les scientifiques estiment que la plupart des glaciers alpins auront disparu d'ici la fin du siècle si les émissions de gaz à effet de serre ne baissent pas rapidement.",
        ],
        "images": [
            {
                "file": "glacier-rhone.jpg",
                "caption": "Des bâches blanches recouvrent une partie du glacier du Rhône.",
                "credit": "KEYSTONE/Jean-Christophe Bott",
                "creator": "Jean-Christophe Bott",
                "holder": "Keystone-SDA",
            },
            {
                "file": "mesure-glacier.jpg",
                "caption": "Un glaciologue mesure la fonte sur le glacier de Morteratsch.",
                "credit": "KEYSTONE/Gian Ehrenzeller",
                "creator": "Gian Ehrenzeller",
                "holder": "Keystone-SDA",
            },
        ],
    },
    {
        "id": "it-gottardo",
        "lang": "it",
        "kicker": "Traffico",
        "headline": "Galleria del San Gottardo, riapre il secondo binario",
        "lead": "La galleria di base del San Gottardo torna pienamente percorribile. Da lunedì i treni viaggeranno di nuovo su entrambi i binari dopo i lavori di riparazione.",
        "key_points": [
            "Da lunedì i treni viaggiano su entrambi i binari.",
            "I lavori di riparazione sono durati oltre un anno.",
        ],
        "place": "Bellinzona",
        "agency": "ats",
        "agency_name": "Keystone-ATS",
        "body": [
            "Le Ferrovie federali svizzere hanno annunciato giovedì la conclusione dei lavori nella galleria, danneggiata dal deragliamento di un treno merci. Sono stati sostituiti otto chilometri di binari e diversi scambi.",
            "Con la riapertura completa, i collegamenti tra Zurigo e Lugano torneranno a durare meno di due ore. Anche i treni merci potranno di nuovo transitare senza limitazioni di orario, ha precisato un portavoce.",
            "Il Consiglio di Stato ticinese ha accolto con soddisfazione la notizia. Il turismo e l'economia del cantone hanno sofferto a lungo per i tempi di percorrenza più lunghi.",
            "Le cause esatte dell'incidente sono ancora oggetto di indagine da parte del servizio svizzero d'inchiesta di sicurezza. Il rapporto finale è atteso per la prossima primavera.",
        ],
        "images": [
            {
                "file": "gottardo-portale.jpg",
                "caption": "Il portale sud della galleria di base del San Gottardo a Pollegio.",
                "credit": "KEYSTONE/Ti-Press/Alessandro Crinari",
                "creator": "Alessandro Crinari",
                "holder": "Keystone-SDA",
            },
            {
                "file": "treno-merci.jpg",
                "caption": "Un treno merci all'uscita della galleria.",
                "credit": "KEYSTONE/Samuel Golay",
                "creator": "Samuel Golay",
                "holder": "Keystone-SDA",
            },
        ],
    },
    {
        "id": "it-vendemmia",
        "lang": "it",
        "kicker": "Agricoltura",
        "headline": "Vendemmia in anticipo, ma la qualità è ottima",
        "lead": "La vendemmia in Italia è iniziata con due settimane di anticipo a causa del caldo. I produttori prevedono una quantità inferiore, ma una qualità eccellente.",
        "key_points": [
            "La vendemmia è iniziata con due settimane di anticipo.",
            "La produzione dovrebbe calare del 7 per cento.",
        ],
        "place": "Roma",
        "agency": "ansa",
        "agency_name": "ANSA",
        "body": [
            "Secondo le stime della Coldiretti, la produzione di vino dovrebbe attestarsi intorno ai 44 milioni di ettolitri, con un calo del 7 per cento rispetto allo scorso anno. La siccità ha colpito soprattutto le regioni del Sud.",
            "Nonostante il calo, l'Italia dovrebbe restare il primo produttore mondiale davanti alla Francia e alla Spagna. Le esportazioni hanno raggiunto un nuovo record nel primo semestre.",
            "I viticoltori lamentano tuttavia l'aumento dei costi dell'energia e del vetro. Molte cantine hanno dovuto rinegoziare i contratti con i fornitori, ha spiegato il presidente dell'associazione.",
            "La raccolta delle uve proseguirà fino a ottobre inoltrato nelle zone collinari del Piemonte e della Toscana.",
        ],
        "images": [
            {
                "file": "vendemmia-langhe.jpg",
                "caption": "Raccolta dell'uva nelle Langhe, in Piemonte.",
                "credit": "ANSA/Alessandro Di Marco",
                "creator": "Alessandro Di Marco",
                "holder": "ANSA",
            },
            {
                "file": "cantina.jpg",
                "caption": "Botti in una cantina di Montalcino.",
                "credit": "ANSA/Claudio Giovannini",
                "creator": "Claudio Giovannini",
                "holder": "ANSA",
            },
        ],
    },
    {
        "id": "en-smi",
        "lang": "en",
        "kicker": "Markets",
        "headline": "Swiss stocks close at record high as bank shares rally",
        "lead": "The Swiss blue-chip index closed at a record high on Thursday, lifted by strong quarterly results from the country's largest banks.",
        "key_points": [
            "The SMI rose 1.2 percent to a record 11,850 points.",
            "Bank shares led the gains after strong results.",
        ],
        "place": "Zurich",
        "agency": "reuters",
        "agency_name": "Reuters",
        "body": [
            "The Swiss Market Index rose 1.2 percent to close at 11,850 points, surpassing the previous record set in January. Trading volumes were well above the three-month average.",
            "Bank shares led the gains after the sector reported higher than expected profits and announced new share buyback programmes. Insurers and watchmakers also traded firmly higher.",
            "Traders said the rally could continue into next week as investors bet that the Swiss National Bank would keep interest rates on hold at its next meeting in March.",
            "The Swiss franc weakened slightly against the euro, which analysts said supported export-oriented companies listed in Zurich.",
        ],
        "images": [
            {
                "file": "smi-board.jpg",
                "caption": "A board shows the Swiss Market Index at the stock exchange in Zurich.",
                "credit": "REUTERS/Denis Balibouse",
                "creator": "Denis Balibouse",
                "holder": "Reuters",
            },
            {
                "file": "paradeplatz.jpg",
                "caption": "People walk past bank headquarters on Paradeplatz in Zurich.",
                "credit": "REUTERS/Arnd Wiegmann",
                "creator": "Arnd Wiegmann",
                "holder": "Reuters",
            },
        ],
    },
    {
        "id": "en-wildfires",
        "lang": "en",
        "kicker": "Weather",
        "headline": "Thousands evacuated as wildfires spread across southern Greece",
        "lead": "Thousands of residents and tourists were evacuated from villages and beaches in southern Greece on Monday as wildfires fanned by strong winds spread across the Peloponnese.",
        "key_points": [
            "Thousands of people were evacuated in the Peloponnese.",
            "Strong winds hamper the firefighting.",
        ],
        "place": "Athens",
        "agency": "ap",
        "agency_name": "AP",
        "body": [
            "More than 400 firefighters backed by water-dropping aircraft and helicopters battled three major fronts, the fire service said. Several homes were destroyed near the town of Kalamata.",
            "Civil protection authorities sent text messages urging residents of a dozen villages to leave. Coast guard vessels took people from beaches where roads had been cut off by the flames.",
            "Temperatures above 40 degrees Celsius and winds of up to 70 kilometers per hour made the work of the firefighters difficult, officials said. No injuries were reported by Monday evening.",
            "Greece has asked for help through the European Union's civil protection mechanism. Italy and Cyprus said they would send firefighting planes on Tuesday.",
        ],
        "images": [
            {
                "file": "fire-kalamata.jpg",
                "caption": "Smoke rises over a hillside near Kalamata.",
                "credit": "AP Photo/Petros Giannakouris",
                "creator": "Petros Giannakouris",
                "holder": "AP",
            },
            {
                "file": "evacuation-beach.jpg",
                "caption": "Coast guard officers help tourists board a boat.",
                "credit": "AP Photo/Thanassis Stavrakis",
                "creator": "Thanassis Stavrakis",
                "holder": "AP",
            },
        ],
    },
]
