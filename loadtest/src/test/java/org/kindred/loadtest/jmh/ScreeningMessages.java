package org.kindred.loadtest.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fixed, realistic mix of chat messages for the screening benchmarks: half short (a few words), a third of a sentence
 * or two, the rest long posts of several hundred characters; in English, French, Spanish and German; with
 * punctuation, emoji, digits (readings, doses), accents, and 2 % of messages that read like a crisis. Built from a
 * seeded generator, so every run (and every build, before and after) screens the same messages.
 */
final class ScreeningMessages {

    private static final String[] SHORT = {
        "thanks!", "same here 🙂", "good morning all", "bonjour à tous", "¿cómo estáis?", "guten Morgen!",
        "lol yes", "merci beaucoup", "ok see you later", "sugar 5.4 today", "hugs ❤️", "so tired today",
    };
    private static final String[] SENTENCES = {
        "I had a long day at work and my sugar was 7.8 after lunch, so I skipped the walk.",
        "Has anyone tried the new pump? My endo wants me to switch but I'm not sure yet.",
        "J'ai rendez-vous chez le rhumatologue jeudi, je vous dirai ce qu'il en pense.",
        "Aujourd'hui la fatigue est terrible, je n'ai presque pas dormi cette nuit.",
        "Mañana tengo cita con el médico, a ver si me cambian la medicación.",
        "Llevo una semana con mucho dolor de espalda y no sé qué más hacer.",
        "Ich habe heute endlich mit der Physiotherapie angefangen, es war anstrengend.",
        "Weiß jemand, ob die Krankenkasse die neuen Sensoren übernimmt?",
        "My feet are killing me after the hospital visit, this traffic is killing me too.",
        "je suis mort de rire avec ta photo du chat 😂",
        "I take 500 mg of metformin twice a day, is that usual?",
        "Diagnosed 2019-03-12 and still learning every day.",
    };
    private static final String[] CRISES = {
        "honestly I just want to end my life tonight",
        "je veux mourir, je n'en peux plus",
        "ya no quiero vivir así",
        "ich will nicht mehr leben",
        "i want to kіll mysеlf",
        "k.i.l.l myself",
    };

    private ScreeningMessages() {}

    /** {@code count} messages of the mix. */
    static String[] mix(int count) {
        SplittableRandom random = new SplittableRandom(16);
        List<String> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(100);
            if (kind < 2) {
                messages.add(CRISES[random.nextInt(CRISES.length)]);
            } else if (kind < 52) {
                messages.add(SHORT[random.nextInt(SHORT.length)]);
            } else if (kind < 87) {
                messages.add(SENTENCES[random.nextInt(SENTENCES.length)]);
            } else {
                StringBuilder post = new StringBuilder();
                int sentences = 4 + random.nextInt(10);
                for (int s = 0; s < sentences; s++) {
                    post.append(SENTENCES[random.nextInt(SENTENCES.length)]).append(' ');
                }
                messages.add(post.toString().strip());
            }
        }
        return messages.toArray(String[]::new);
    }
}
