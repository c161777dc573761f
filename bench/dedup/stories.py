# ruff: noqa: E501
"""Hand-written seed stories for the dedup evaluation set: wire copy in German, French, English.

Stories come in pairs on one topic (``topic``) but about different events on different days:
the hard negatives (two Putin stories, two central-bank decisions). ``extra`` is a background
paragraph an agency rewrite or an update may add; ``headlines`` are the other desks' titles.
"""

from __future__ import annotations

from typing import Any

STORIES: list[dict[str, Any]] = [
    # ------------------------------------------------------------------ German
    {
        "id": "de-putin-lukaschenko",
        "lang": "de",
        "topic": "putin",
        "day": "2020-08-30",
        "headline": "Lukaschenko will Putin in Moskau treffen",
        "headlines": [
            "Kreml: Lukaschenko reist zu Putin nach Moskau",
            "Machtkampf in Belarus: Lukaschenko sucht Putins Nähe",
        ],
        "lead": "Angesichts der anhaltenden Proteste in Belarus will sich Staatschef Alexander "
        "Lukaschenko persönlich mit dem russischen Präsidenten Wladimir Putin treffen.",
        "body": [
            "Das Treffen sei in den kommenden Wochen in Moskau geplant, teilte der Kreml am "
            "Sonntag mit. Einen genauen Termin nannte Kremlsprecher Dmitri Peskow zunächst nicht. "
            "Beide Seiten hätten die Einladung am Telefon besprochen.",
            "Die beiden Politiker hatten zuletzt mehrfach miteinander telefoniert. Putin "
            "gratulierte Lukaschenko am Sonntag zu seinem 66. Geburtstag. Dabei bekräftigten "
            "beide nach Angaben des Kremls, das Bündnis der beiden Nachbarstaaten weiter zu "
            "stärken.",
            "Putin hatte Lukaschenko zuletzt demonstrativ den Rücken gestärkt und ihm zugesichert, "
            "im Notfall Einheiten seines Innenministeriums ins Nachbarland zu schicken. In einem "
            "Interview des Staatsfernsehens sagte er, er habe keine Zweifel an der Wiederwahl "
            "Lukaschenkos.",
            "Die Präsidentenwahl vor drei Wochen wird von massiven Fälschungsvorwürfen "
            "überschattet. Nach offiziellen Angaben erhielt Lukaschenko 80,1 Prozent der Stimmen. "
            "Seither demonstrieren jedes Wochenende Zehntausende Menschen in Minsk gegen ihn.",
        ],
        "extra": "Die Europäische Union erkennt das Wahlergebnis nicht an und bereitet "
        "Sanktionen gegen Verantwortliche für Wahlfälschung und Gewalt gegen Demonstranten vor. "
        "Die Oppositionsführerin Swetlana Tichanowskaja lebt inzwischen im litauischen Exil.",
    },
    {
        "id": "de-putin-forum",
        "lang": "de",
        "topic": "putin",
        "day": "2020-09-04",
        "headline": "Putin wirft dem Westen Wirtschaftskrieg vor",
        "headlines": [
            "Putin: Sanktionen schaden vor allem Europa",
            "Kremlchef verteidigt Kurs gegen westliche Sanktionen",
        ],
        "lead": "Der russische Präsident Wladimir Putin hat dem Westen vorgeworfen, mit "
        "Sanktionen einen Wirtschaftskrieg gegen Russland zu führen.",
        "body": [
            "Die Strafmassnahmen würden vor allem den Unternehmen in Europa schaden, sagte Putin "
            "am Freitag bei einer Videokonferenz mit Managern ausländischer Konzerne. Russland "
            "werde sich davon nicht einschüchtern lassen und seine Wirtschaft unabhängiger machen.",
            "Der Kremlchef kündigte an, die Förderung heimischer Industrie auszubauen. Vor allem "
            "der Maschinenbau und die Landwirtschaft sollen in den nächsten fünf Jahren mit "
            "Milliardenbeträgen unterstützt werden. Ausländische Investoren seien weiterhin "
            "willkommen, betonte er.",
            "Zum Konflikt in Belarus äusserte sich Putin nur knapp. Russland mische sich nicht in "
            "die inneren Angelegenheiten des Nachbarlandes ein, sagte er. Sein Sprecher Dmitri "
            "Peskow hatte zuvor Kritik aus Berlin und Paris zurückgewiesen.",
            "Die russische Wirtschaft ist wegen der Corona-Pandemie und des gesunkenen Ölpreises "
            "stark unter Druck. Die Zentralbank rechnet für dieses Jahr mit einem Rückgang der "
            "Wirtschaftsleistung um bis zu fünf Prozent.",
        ],
        "extra": "Die USA und die EU hatten ihre Sanktionen gegen Russland zuletzt mehrfach "
        "verlängert. Sie richten sich unter anderem gegen Banken, Energiekonzerne und Personen "
        "aus dem Umfeld des Kremls.",
    },
    {
        "id": "de-bundesrat-ahv",
        "lang": "de",
        "topic": "bundesrat",
        "day": "2024-03-13",
        "headline": "Bundesrat will 13. AHV-Rente über Lohnbeiträge finanzieren",
        "headlines": [
            "13. AHV-Rente: Bundesrat setzt auf höhere Lohnabzüge",
            "Finanzierung der AHV: Bundesrat schickt Vorschlag in die Vernehmlassung",
        ],
        "lead": "Der Bundesrat will die von Volk und Ständen angenommene 13. AHV-Rente "
        "hauptsächlich mit höheren Lohnbeiträgen finanzieren.",
        "body": [
            "Arbeitnehmende und Arbeitgeber sollen je 0,4 Prozentpunkte mehr in die AHV einzahlen, "
            "wie die Landesregierung am Mittwoch in Bern mitteilte. Zusätzlich soll der Bund "
            "seinen Beitrag vorübergehend senken, um das Budget zu entlasten.",
            "Sozialministerin Elisabeth Baume-Schneider sagte vor den Medien, die Rente müsse ab "
            "2026 ausbezahlt werden können. Der Bundesrat habe deshalb eine rasche und einfache "
            "Lösung gewählt. Eine Erhöhung der Mehrwertsteuer sei ebenfalls geprüft worden.",
            "Die bürgerlichen Parteien kritisierten den Vorschlag umgehend. Höhere Lohnbeiträge "
            "belasteten die Wirtschaft und die jungen Generationen, schrieb die FDP. Die SP und die "
            "Gewerkschaften begrüssten dagegen den Entscheid.",
            "Die Vernehmlassung dauert bis Anfang Juli. Danach wird sich das Parlament mit der "
            "Vorlage befassen. Die Kosten der zusätzlichen Rente werden auf rund vier Milliarden "
            "Franken pro Jahr geschätzt.",
        ],
        "extra": "Die Initiative für eine 13. AHV-Rente war Anfang März mit 58,2 Prozent Ja-Stimmen "
        "angenommen worden. Es war das erste Mal, dass eine Volksinitiative der Gewerkschaften zum "
        "Ausbau des Sozialstaats an der Urne eine Mehrheit fand.",
    },
    {
        "id": "de-bundesrat-armee",
        "lang": "de",
        "topic": "bundesrat",
        "day": "2024-03-20",
        "headline": "Bundesrat will Armeeausgaben langsamer erhöhen",
        "headlines": [
            "Armeebudget: Bundesrat tritt auf die Bremse",
            "Landesregierung verschiebt Ziel von einem Prozent des BIP",
        ],
        "lead": "Der Bundesrat will die Ausgaben für die Armee langsamer erhöhen als vom "
        "Parlament gewünscht.",
        "body": [
            "Das Ziel, ein Prozent des Bruttoinlandprodukts für die Verteidigung auszugeben, soll "
            "erst 2035 statt 2030 erreicht werden, teilte die Regierung am Mittwoch mit. Grund sei "
            "die angespannte Lage der Bundesfinanzen.",
            "Verteidigungsministerin Viola Amherd bedauerte den Entscheid. Die Armee müsse ihre "
            "Fähigkeiten zur Luftverteidigung dringend erneuern, sagte sie in Bern. Einige "
            "Beschaffungen würden nun um mehrere Jahre verschoben.",
            "Die Sicherheitspolitische Kommission des Ständerats hatte zuvor eine schnellere "
            "Aufstockung verlangt. Mehrere Parlamentarier kündigten an, das Budget in der "
            "Sommersession zu korrigieren.",
            "Für das kommende Jahr sieht der Bundesrat Armeeausgaben von 5,9 Milliarden Franken vor. "
            "Das sind rund 300 Millionen Franken weniger, als die Armee beantragt hatte.",
        ],
        "extra": "Seit dem russischen Angriff auf die Ukraine ist die Ausrüstung der Armee ein "
        "politisches Dauerthema. Das Parlament hatte 2022 beschlossen, die Ausgaben schrittweise "
        "zu erhöhen.",
    },
    {
        "id": "de-unwetter-tessin",
        "lang": "de",
        "topic": "unwetter",
        "day": "2024-06-30",
        "headline": "Unwetter im Maggiatal: Mehrere Tote und Vermisste",
        "headlines": [
            "Erdrutsche im Tessin fordern Todesopfer",
            "Maggiatal nach Unwetter von der Aussenwelt abgeschnitten",
        ],
        "lead": "Heftige Gewitter haben im Tessiner Maggiatal Erdrutsche und Überschwemmungen "
        "ausgelöst. Mindestens drei Menschen sind ums Leben gekommen.",
        "body": [
            "Vier weitere Personen würden noch vermisst, teilte die Kantonspolizei am Sonntag mit. "
            "Die Suche werde mit Helikoptern und Hunden fortgesetzt. In der Nacht hatte es in "
            "wenigen Stunden so viel geregnet wie sonst in einem Monat.",
            "Die Maggia trat an mehreren Stellen über die Ufer und riss eine Brücke bei Visletto "
            "weg. Das obere Tal ist seither von der Aussenwelt abgeschnitten. Rund 300 Menschen "
            "mussten ihre Häuser verlassen.",
            "Die Armee unterstützt die Rettungskräfte mit Transporthelikoptern. Bundespräsidentin "
            "Viola Amherd will die betroffene Region am Montag besuchen, wie ihr Departement "
            "mitteilte.",
            "Meteorologen warnen vor weiteren Gewittern in den kommenden Tagen. Bereits eine Woche "
            "zuvor hatten Unwetter im Misox in Graubünden grosse Schäden angerichtet.",
        ],
        "extra": "Klimaforscher rechnen damit, dass solche Starkniederschläge in den Alpen "
        "häufiger werden. Wärmere Luft kann mehr Feuchtigkeit aufnehmen, die sich dann in kurzer "
        "Zeit entlädt.",
    },
    {
        "id": "de-unwetter-wallis",
        "lang": "de",
        "topic": "unwetter",
        "day": "2024-07-01",
        "headline": "Rhone tritt im Wallis über die Ufer",
        "headlines": [
            "Hochwasser im Wallis: Autobahn gesperrt",
            "Wallis kämpft mit Überschwemmungen",
        ],
        "lead": "Im Wallis ist die Rhone nach starken Regenfällen an mehreren Orten über die "
        "Ufer getreten.",
        "body": [
            "Besonders betroffen ist die Region um Siders, wie der Kanton am Montag mitteilte. Die "
            "Autobahn A9 musste zwischen Sitten und Siders gesperrt werden. Ein Industriegebiet "
            "steht teilweise unter Wasser.",
            "Im Saastal wurde ein Hotel von einem Murgang beschädigt. Verletzt wurde nach Angaben "
            "der Polizei niemand. Zermatt war zeitweise nur noch mit dem Helikopter erreichbar, "
            "weil die Bahnstrecke unterbrochen war.",
            "Staatsrat Frédéric Favre sprach von einer aussergewöhnlichen Lage. Der Kanton habe "
            "den Führungsstab aufgeboten und Zivilschützer in die betroffenen Gemeinden geschickt.",
            "Die Pegel sollen im Laufe des Dienstags wieder sinken. Die Schäden an Strassen und "
            "Gebäuden dürften sich nach ersten Schätzungen auf mehrere Millionen Franken belaufen.",
        ],
        "extra": "Die dritte Rhonekorrektion soll das Tal bis 2050 besser vor Hochwasser schützen. "
        "Das Projekt kostet rund 3,6 Milliarden Franken und ist politisch umstritten.",
    },
    {
        "id": "de-snb-zins",
        "lang": "de",
        "topic": "notenbank",
        "day": "2024-03-21",
        "headline": "SNB senkt überraschend den Leitzins",
        "headlines": [
            "Nationalbank senkt Leitzins auf 1,5 Prozent",
            "Zinswende: SNB kommt den anderen Notenbanken zuvor",
        ],
        "lead": "Die Schweizerische Nationalbank hat ihren Leitzins überraschend um 0,25 "
        "Prozentpunkte auf 1,5 Prozent gesenkt.",
        "body": [
            "Die Inflation sei in den letzten Monaten deutlich zurückgegangen, begründete die SNB "
            "am Donnerstag in Zürich ihren Entscheid. Sie liege seit mehreren Monaten wieder im "
            "Bereich der Preisstabilität.",
            "Nationalbankpräsident Thomas Jordan sagte, die Lockerung trage auch der Aufwertung des "
            "Frankens Rechnung. Die SNB sei weiterhin bereit, bei Bedarf am Devisenmarkt zu "
            "intervenieren.",
            "Die meisten Ökonomen hatten erst für Juni mit einer Zinssenkung gerechnet. Der Franken "
            "schwächte sich nach der Mitteilung gegenüber dem Euro und dem Dollar deutlich ab. Die "
            "Börse reagierte mit Kursgewinnen.",
            "Die SNB ist damit die erste grosse Notenbank, die nach der Phase stark steigender "
            "Preise die Zinsen wieder senkt. Für das laufende Jahr erwartet sie eine Teuerung von "
            "1,4 Prozent.",
        ],
        "extra": "Die Nationalbank hatte den Leitzins ab Juni 2022 in mehreren Schritten von minus "
        "0,75 Prozent auf 1,75 Prozent angehoben, um die Inflation zu bekämpfen.",
    },
    {
        "id": "de-ezb-zins",
        "lang": "de",
        "topic": "notenbank",
        "day": "2024-04-11",
        "headline": "EZB lässt Leitzins unverändert und deutet Senkung an",
        "headlines": [
            "EZB hält still, Zinssenkung im Juni wahrscheinlich",
            "Lagarde stellt Ende der Hochzinsphase in Aussicht",
        ],
        "lead": "Die Europäische Zentralbank hat ihre Leitzinsen erneut nicht angetastet, aber "
        "eine baldige Senkung in Aussicht gestellt.",
        "body": [
            "Der wichtigste Zinssatz bleibt bei 4,5 Prozent, wie die EZB am Donnerstag in Frankfurt "
            "mitteilte. Wenn sich die Inflation weiter abschwäche, sei eine Lockerung angemessen, "
            "hiess es in der Erklärung des Rates.",
            "EZB-Präsidentin Christine Lagarde sagte, einige Ratsmitglieder hätten bereits jetzt "
            "eine Senkung befürwortet. Die Mehrheit wolle aber die Daten bis Juni abwarten.",
            "Die Teuerung im Euroraum war im März auf 2,4 Prozent gesunken. Die Wirtschaft wächst "
            "nur schwach, vor allem in Deutschland. Ökonomen erwarten mehrere Zinsschritte bis "
            "Ende Jahr.",
            "Der Euro gab nach dem Entscheid gegenüber dem Dollar leicht nach. An den Börsen "
            "legten die Kurse von Banken und Immobilienfirmen zu.",
        ],
        "extra": "Die US-Notenbank Fed dürfte dagegen länger an hohen Zinsen festhalten, weil die "
        "Inflation in den USA hartnäckiger ist als erwartet.",
    },
    # ------------------------------------------------------------------ French
    {
        "id": "fr-budget",
        "lang": "fr",
        "topic": "gouvernement",
        "day": "2024-10-10",
        "headline": "Le gouvernement présente un budget de rigueur pour 2025",
        "headlines": [
            "Budget 2025: 60 milliards d'euros d'économies",
            "Barnier dévoile un budget d'austérité",
        ],
        "lead": "Le gouvernement de Michel Barnier a présenté jeudi un projet de budget pour "
        "2025 qui prévoit 60 milliards d'euros d'efforts pour réduire le déficit public.",
        "body": [
            "Les deux tiers de l'effort doivent venir de baisses de dépenses et un tiers de hausses "
            "d'impôts, a expliqué le ministre de l'Economie Antoine Armand lors d'une conférence de "
            "presse à Paris. Les grandes entreprises et les ménages les plus aisés seront mis à "
            "contribution de manière temporaire.",
            "Le déficit public doit revenir à 5 % du produit intérieur brut l'an prochain, contre "
            "6,1 % attendus cette année. La France fait l'objet d'une procédure de l'Union "
            "européenne pour déficit excessif.",
            "L'opposition de gauche a dénoncé un budget injuste qui frappe les services publics. Le "
            "Rassemblement national a menacé de voter une motion de censure si les retraites "
            "n'étaient pas protégées.",
            "Le texte sera examiné à l'Assemblée nationale à partir du 21 octobre. Sans majorité "
            "absolue, le gouvernement pourrait recourir à l'article 49.3 de la Constitution.",
        ],
        "extra": "La dette publique française dépasse désormais 3200 milliards d'euros, soit plus "
        "de 110 % du PIB. Les agences de notation doivent rendre leur avis dans les prochaines "
        "semaines.",
    },
    {
        "id": "fr-censure",
        "lang": "fr",
        "topic": "gouvernement",
        "day": "2024-12-04",
        "headline": "Le gouvernement Barnier renversé par une motion de censure",
        "headlines": [
            "Censure: Michel Barnier doit démissionner",
            "L'Assemblée fait tomber le gouvernement",
        ],
        "lead": "L'Assemblée nationale a adopté mercredi une motion de censure contre le "
        "gouvernement de Michel Barnier, une première depuis 1962.",
        "body": [
            "La motion déposée par la gauche a recueilli 331 voix, avec le soutien des députés du "
            "Rassemblement national. Le Premier ministre doit désormais remettre la démission de "
            "son gouvernement au président Emmanuel Macron.",
            "Michel Barnier avait engagé la responsabilité de son gouvernement sur le budget de la "
            "Sécurité sociale en utilisant l'article 49.3. Il avait défendu jusqu'au bout un texte "
            "nécessaire selon lui pour rassurer les marchés.",
            "Emmanuel Macron doit s'exprimer jeudi soir à la télévision. Plusieurs noms circulent "
            "déjà pour Matignon, mais l'Elysée n'a fait aucun commentaire.",
            "La chute du gouvernement plonge le pays dans une nouvelle période d'incertitude. Le "
            "budget de l'Etat pour 2025 n'est toujours pas adopté.",
        ],
        "extra": "Michel Barnier aura été le Premier ministre le plus éphémère de la Ve "
        "République, trois mois seulement après sa nomination en septembre.",
    },
    {
        "id": "fr-conseil-federal-energie",
        "lang": "fr",
        "topic": "suisse",
        "day": "2024-08-28",
        "headline": "Le Conseil fédéral veut lever l'interdiction de construire des centrales nucléaires",
        "headlines": [
            "Nucléaire: le Conseil fédéral fait marche arrière",
            "Albert Rösti veut rouvrir la porte au nucléaire",
        ],
        "lead": "Le Conseil fédéral veut lever l'interdiction de construire de nouvelles "
        "centrales nucléaires en Suisse.",
        "body": [
            "Il propose un contre-projet indirect à l'initiative populaire «Stop au black-out», a "
            "indiqué mercredi à Berne le ministre de l'énergie Albert Rösti. Le gouvernement veut "
            "garantir l'approvisionnement en électricité à long terme.",
            "Les énergies renouvelables restent la priorité, a souligné le conseiller fédéral. Mais "
            "la Suisse ne doit pas renoncer à une technologie qui pourrait être utile dans vingt ou "
            "trente ans.",
            "Les Verts et le PS ont dénoncé un retour en arrière. Le peuple avait accepté en 2017 "
            "la Stratégie énergétique 2050, qui interdit la construction de nouvelles centrales.",
            "Le projet sera mis en consultation jusqu'à la fin de l'année. Le Parlement devrait "
            "ensuite en débattre en 2025.",
        ],
        "extra": "La Suisse exploite actuellement quatre réacteurs nucléaires, qui fournissent "
        "environ un tiers de la production d'électricité du pays.",
    },
    {
        "id": "fr-votation",
        "lang": "fr",
        "topic": "suisse",
        "day": "2024-09-22",
        "headline": "Les Suisses rejettent la réforme de la prévoyance professionnelle",
        "headlines": [
            "LPP: net refus dans les urnes",
            "Votation: la réforme du 2e pilier balayée",
        ],
        "lead": "Le peuple suisse a rejeté dimanche la réforme de la prévoyance professionnelle "
        "par 67,1 % des voix.",
        "body": [
            "Tous les cantons ont dit non au projet, qui prévoyait de baisser le taux de conversion "
            "des rentes du 2e pilier. La participation s'est élevée à 45 %, selon les résultats "
            "officiels.",
            "Les syndicats, qui avaient lancé le référendum, ont salué une victoire claire. Les "
            "assurés ne veulent pas payer plus pour toucher moins, a déclaré le président de "
            "l'Union syndicale suisse Pierre-Yves Maillard.",
            "La ministre de l'Intérieur Elisabeth Baume-Schneider a pris acte du résultat. Le "
            "Conseil fédéral va analyser les raisons du refus avant de proposer une nouvelle "
            "réforme.",
            "L'initiative sur la biodiversité a également été rejetée, par 63 % des votants.",
        ],
        "extra": "Il s'agit du troisième échec d'une réforme du 2e pilier dans les urnes depuis "
        "2010. Le système des retraites suisse repose sur trois piliers.",
    },
    {
        "id": "fr-incendies",
        "lang": "fr",
        "topic": "catastrophe",
        "day": "2022-07-18",
        "headline": "Les incendies continuent de ravager la Gironde",
        "headlines": [
            "Gironde: plus de 14'000 hectares brûlés",
            "Incendies: nouvelles évacuations près d'Arcachon",
        ],
        "lead": "Les deux incendies qui ravagent la Gironde depuis une semaine ont déjà brûlé "
        "plus de 14'000 hectares de forêt.",
        "body": [
            "Plus de 1500 pompiers luttent toujours contre les flammes, attisées par un vent "
            "violent et des températures dépassant les 40 degrés, a indiqué lundi la préfecture. "
            "Environ 16'000 personnes ont été évacuées.",
            "A La Teste-de-Buch, le feu s'est approché des campings situés près de la dune du "
            "Pilat. Aucune victime n'est à déplorer à ce stade, selon les autorités.",
            "Le président Emmanuel Macron a remercié les pompiers et promis un soutien de l'Etat "
            "aux communes touchées. Des renforts venus de plusieurs départements sont arrivés dans "
            "la nuit.",
            "Météo-France a placé quinze départements en vigilance rouge canicule. Une baisse des "
            "températures est attendue à partir de mercredi sur la façade atlantique.",
        ],
        "extra": "La sécheresse exceptionnelle de ce printemps a rendu la végétation "
        "particulièrement inflammable dans tout le sud-ouest de la France.",
    },
    {
        "id": "fr-crues-valais",
        "lang": "fr",
        "topic": "catastrophe",
        "day": "2024-07-01",
        "headline": "Le Rhône déborde en Valais après de fortes pluies",
        "headlines": [
            "Intempéries: le Valais sous l'eau",
            "Crues en Valais: l'autoroute A9 fermée",
        ],
        "lead": "Le Rhône est sorti de son lit à plusieurs endroits en Valais après de fortes "
        "précipitations.",
        "body": [
            "La région de Sierre est la plus touchée, a indiqué lundi le canton. L'autoroute A9 a "
            "dû être fermée entre Sion et Sierre et une zone industrielle est partiellement "
            "inondée.",
            "Dans la vallée de Saas, un hôtel a été endommagé par une lave torrentielle. Personne "
            "n'a été blessé, selon la police cantonale. Zermatt n'était plus accessible que par "
            "hélicoptère.",
            "Le conseiller d'Etat Frédéric Favre a parlé d'une situation exceptionnelle. L'état-"
            "major cantonal de conduite a été mobilisé et la protection civile engagée dans les "
            "communes.",
            "Le niveau des cours d'eau devrait baisser mardi. Les dégâts se chiffrent en millions "
            "de francs selon une première estimation.",
        ],
        "extra": "La troisième correction du Rhône doit mieux protéger la plaine contre les crues "
        "d'ici 2050. Le projet coûte environ 3,6 milliards de francs.",
    },
    # ------------------------------------------------------------------ English
    {
        "id": "en-putin-xi",
        "lang": "en",
        "topic": "putin",
        "day": "2024-05-16",
        "headline": "Putin and Xi pledge 'new era' of partnership in Beijing",
        "headlines": [
            "Xi welcomes Putin to Beijing, vows deeper ties",
            "Russia and China deepen alliance as Putin visits Xi",
        ],
        "lead": "Russian President Vladimir Putin and Chinese leader Xi Jinping pledged on "
        "Thursday to deepen their strategic partnership, in a show of unity against the West.",
        "body": [
            "Putin arrived in Beijing for a two-day state visit, his first foreign trip since "
            "being sworn in for a fifth term. Xi greeted him with a military honour guard outside "
            "the Great Hall of the People.",
            "In a joint statement, the two leaders criticised what they called Washington's "
            "attempts to contain both countries. They agreed to expand cooperation in energy, "
            "trade and military exercises.",
            "Putin thanked Xi for China's proposals to end the war in Ukraine. Western governments "
            "accuse Beijing of supplying components that help Russia's arms industry, a charge "
            "China denies.",
            "Trade between the two countries reached a record $240 billion last year. Russia has "
            "become one of China's biggest suppliers of oil and gas since Western sanctions cut it "
            "off from European markets.",
        ],
        "extra": "The visit comes weeks after U.S. Secretary of State Antony Blinken warned "
        "Beijing that support for Moscow's defence industry would damage relations with the West.",
    },
    {
        "id": "en-kremlin-talks",
        "lang": "en",
        "topic": "putin",
        "day": "2024-05-24",
        "headline": "Kremlin says Putin ready for Ukraine talks on Russia's terms",
        "headlines": [
            "Putin open to ceasefire talks, Kremlin says",
            "Moscow signals readiness to negotiate over Ukraine",
        ],
        "lead": "Vladimir Putin is ready to halt the war in Ukraine with a negotiated ceasefire "
        "that recognises the current front lines, the Kremlin said on Friday.",
        "body": [
            "Kremlin spokesman Dmitry Peskov told reporters that Moscow had always been open to "
            "dialogue. He said any talks would have to take into account what he called the "
            "realities on the ground.",
            "Kyiv rejected the idea, saying it would reward aggression. Ukrainian President "
            "Volodymyr Zelenskiy has repeatedly said that Russia must withdraw from all occupied "
            "territory before any settlement.",
            "The comments came as Russian forces pressed an offensive in the Kharkiv region. "
            "Ukrainian officials said thousands of civilians had been evacuated from border "
            "villages this month.",
            "Switzerland is preparing to host a peace conference in June. Russia has not been "
            "invited and has dismissed the meeting as pointless.",
        ],
        "extra": "Western officials say Putin has no interest in real negotiations while he "
        "believes his army can gain more ground on the battlefield.",
    },
    {
        "id": "en-fed-hold",
        "lang": "en",
        "topic": "centralbank",
        "day": "2024-05-01",
        "headline": "Fed holds rates steady, signals cuts will take longer",
        "headlines": [
            "Fed leaves rates unchanged as inflation stalls",
            "Powell says rate cuts need more confidence on inflation",
        ],
        "lead": "The Federal Reserve held interest rates steady on Wednesday and signalled it was "
        "in no hurry to cut borrowing costs after a run of disappointing inflation data.",
        "body": [
            "The U.S. central bank kept its benchmark rate in a range of 5.25% to 5.50%, where it "
            "has been since July. Policymakers said there had been a lack of further progress "
            "toward their 2% inflation goal in recent months.",
            "Fed Chair Jerome Powell told a news conference that it was unlikely the next move "
            "would be a rate hike. But he said gaining confidence that inflation was falling would "
            "take longer than previously expected.",
            "The Fed also said it would slow the pace at which it shrinks its balance sheet from "
            "June, easing pressure on money markets.",
            "Stocks rose after Powell's comments, while Treasury yields fell. Traders pushed back "
            "bets on a first rate cut to September.",
        ],
        "extra": "The labour market has remained surprisingly strong, with employers adding more "
        "than 300,000 jobs in March, giving the Fed room to wait.",
    },
    {
        "id": "en-ecb-cut",
        "lang": "en",
        "topic": "centralbank",
        "day": "2024-06-06",
        "headline": "ECB cuts rates for first time since 2019",
        "headlines": [
            "European Central Bank lowers interest rates",
            "ECB trims rates but stays cautious on next steps",
        ],
        "lead": "The European Central Bank cut interest rates on Thursday for the first time in "
        "nearly five years, but gave no clear signal about further reductions.",
        "body": [
            "The ECB lowered its deposit rate by a quarter point to 3.75% from a record high of 4%. "
            "It said inflation had fallen enough since the peak of the energy crisis to ease "
            "policy.",
            "ECB President Christine Lagarde said the bank was not committing to a particular rate "
            "path. Wage growth and services prices remain high, she told reporters in Frankfurt.",
            "The bank raised its inflation forecasts for this year and next, which analysts said "
            "made a second cut in July unlikely.",
            "The euro was little changed after the decision. European bank shares slipped as "
            "investors weighed the outlook for lending margins.",
        ],
        "extra": "The move puts the ECB ahead of the U.S. Federal Reserve, which is expected to "
        "keep its rates higher for longer.",
    },
    {
        "id": "en-quake-turkey",
        "lang": "en",
        "topic": "disaster",
        "day": "2023-02-06",
        "headline": "Powerful earthquake kills thousands in Turkey and Syria",
        "headlines": [
            "Death toll soars after massive quake hits Turkey, Syria",
            "Rescuers dig through rubble after deadly Turkey earthquake",
        ],
        "lead": "A magnitude 7.8 earthquake struck southern Turkey and northern Syria early on "
        "Monday, killing more than 2,300 people and toppling thousands of buildings.",
        "body": [
            "The quake hit at 4:17 a.m. near the city of Gaziantep, when most people were asleep. "
            "A second large tremor struck the region in the afternoon, bringing down more "
            "buildings.",
            "Rescuers worked through the night in freezing temperatures to pull survivors from the "
            "rubble. President Tayyip Erdogan declared seven days of national mourning.",
            "In Syria, where years of war have already destroyed much of the infrastructure, "
            "hospitals were overwhelmed. The United Nations said aid deliveries across the border "
            "had been disrupted.",
            "Dozens of countries offered help, sending search and rescue teams and medical "
            "supplies. Officials warned that the death toll was likely to rise sharply.",
        ],
        "extra": "Turkey lies on major fault lines and is frequently hit by earthquakes. A quake "
        "near Izmit in 1999 killed more than 17,000 people.",
    },
    {
        "id": "en-hurricane-florida",
        "lang": "en",
        "topic": "disaster",
        "day": "2024-10-10",
        "headline": "Hurricane Milton tears across Florida, millions without power",
        "headlines": [
            "Milton slams Florida with tornadoes and flooding",
            "Florida counts damage after Hurricane Milton",
        ],
        "lead": "Hurricane Milton smashed into Florida's Gulf Coast on Wednesday night, spawning "
        "tornadoes and leaving more than 3 million homes and businesses without power.",
        "body": [
            "The storm made landfall near Siesta Key as a Category 3 hurricane with winds of 120 "
            "mph before weakening as it crossed the state. At least four people were killed by "
            "tornadoes in St. Lucie County.",
            "In St. Petersburg, the roof of the Tropicana Field stadium was torn off. Tampa was "
            "spared the worst of the feared storm surge, officials said.",
            "Governor Ron DeSantis said search and rescue teams were deployed across the region. "
            "President Joe Biden approved emergency declarations for dozens of counties.",
            "The hurricane hit less than two weeks after Hurricane Helene killed more than 200 "
            "people across the southeastern United States.",
        ],
        "extra": "Scientists say warmer ocean waters are making hurricanes intensify faster, "
        "leaving less time for residents to prepare.",
    },
]

# Word swaps a rewriting desk makes. Keys are matched case-sensitively as whole words.
SYNONYMS: dict[str, dict[str, list[str]]] = {
    "de": {
        "sagte": ["erklärte", "betonte"],
        "teilte": ["gab"],
        "zunächst": ["vorerst"],
        "zuletzt": ["kürzlich", "jüngst"],
        "Treffen": ["Gespräch"],
        "geplant": ["vorgesehen"],
        "mehrfach": ["mehrmals", "wiederholt"],
        "stärken": ["festigen"],
        "Angaben": ["Aussagen"],
        "massiven": ["schweren"],
        "Menschen": ["Personen"],
        "Kremlchef": ["Präsident"],
        "kündigte": ["stellte"],
        "vor allem": ["insbesondere"],
        "weiterhin": ["nach wie vor"],
        "Kritik": ["Vorwürfe"],
        "stark": ["erheblich"],
        "rechnet": ["geht"],
        "Landesregierung": ["Regierung"],
        "umgehend": ["sofort"],
        "kritisierten": ["bemängelten"],
        "begrüssten": ["lobten"],
        "dagegen": ["hingegen"],
        "rund": ["etwa", "ungefähr"],
        "Entscheid": ["Beschluss"],
        "dringend": ["rasch"],
        "mehrere": ["verschiedene"],
        "Heftige": ["Starke"],
        "mindestens": ["wenigstens"],
        "fortgesetzt": ["weitergeführt"],
        "seither": ["seitdem"],
        "mussten": ["hatten"],
        "betroffene": ["heimgesuchte"],
        "grosse": ["erhebliche"],
        "Besonders": ["Am stärksten"],
        "beschädigt": ["getroffen"],
        "zeitweise": ["vorübergehend"],
        "aussergewöhnlichen": ["ausserordentlichen"],
        "sinken": ["zurückgehen"],
        "überraschend": ["unerwartet"],
        "deutlich": ["klar", "spürbar"],
        "Ökonomen": ["Volkswirte", "Analysten"],
        "erwartet": ["rechnet mit"],
        "erneut": ["wieder"],
        "baldige": ["rasche"],
        "wichtigste": ["massgebliche"],
        "schwach": ["verhalten"],
        "leicht": ["etwas"],
        "bereits": ["schon"],
        "Die Börse": ["Der Aktienmarkt"],
    },
    "fr": {
        "a expliqué": ["a précisé", "a indiqué"],
        "a indiqué": ["a annoncé", "a précisé"],
        "a déclaré": ["a affirmé"],
        "a souligné": ["a insisté"],
        "prévoit": ["table sur"],
        "réduire": ["diminuer"],
        "dénoncé": ["fustigé", "critiqué"],
        "menacé": ["averti"],
        "désormais": ["maintenant"],
        "déjà": ["d'ores et déjà"],
        "Plusieurs": ["De nombreux"],
        "plusieurs": ["divers"],
        "veut": ["souhaite", "entend"],
        "garantir": ["assurer"],
        "pourrait": ["serait susceptible"],
        "ensuite": ["par la suite"],
        "salué": ["célébré"],
        "claire": ["nette"],
        "raisons": ["causes"],
        "également": ["aussi"],
        "ravagent": ["dévastent"],
        "luttent": ["combattent"],
        "violent": ["puissant"],
        "Environ": ["Quelque"],
        "environ": ["quelque"],
        "touchées": ["sinistrées"],
        "promis": ["assuré"],
        "touchée": ["affectée"],
        "endommagé": ["touché"],
        "blessé": ["atteint"],
        "devrait": ["doit"],
        "dégâts": ["dommages"],
        "fortes": ["abondantes"],
        "première": ["seule"],
        "nouvelle": ["autre"],
        "fait aucun commentaire": ["pas réagi"],
        "toujours": ["encore"],
        "défendu": ["soutenu"],
        "nécessaire": ["indispensable"],
        "adopté": ["voté"],
    },
    "en": {
        "said": ["stated", "added"],
        "told": ["informed"],
        "pledged": ["vowed", "promised"],
        "deepen": ["strengthen"],
        "criticised": ["condemned"],
        "agreed": ["decided"],
        "expand": ["broaden"],
        "accuse": ["charge"],
        "biggest": ["largest"],
        "record": ["all-time high of"],
        "repeatedly": ["consistently"],
        "rejected": ["dismissed"],
        "thousands": ["many thousands"],
        "preparing": ["getting ready"],
        "signalled": ["indicated"],
        "cut": ["lower"],
        "unlikely": ["improbable"],
        "previously": ["earlier"],
        "rose": ["climbed", "gained"],
        "fell": ["dropped", "declined"],
        "remain": ["stay"],
        "little changed": ["flat"],
        "slipped": ["edged lower"],
        "struck": ["hit", "rocked"],
        "killing": ["leaving dead"],
        "toppling": ["flattening"],
        "worked": ["toiled"],
        "overwhelmed": ["swamped"],
        "warned": ["cautioned"],
        "sharply": ["significantly"],
        "smashed": ["crashed"],
        "torn off": ["ripped off"],
        "spared": ["saved from"],
        "deployed": ["sent"],
        "killed": ["left dead"],
        "steady": ["unchanged"],
        "held": ["kept"],
        "run": ["series"],
        "also": ["additionally"],
        "easing": ["reducing"],
        "weighed": ["assessed"],
        "high": ["elevated"],
        "first": ["initial"],
    },
}
