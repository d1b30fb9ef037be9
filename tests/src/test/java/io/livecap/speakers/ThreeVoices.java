package io.livecap.speakers;

import io.livecap.testkit.Flite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Three flite voices taking turns, two rounds, each turn 15-20 s: the audio and where each turn starts. */
record ThreeVoices(short[] samples, List<Long> changesMs) {

    private static final String[] VOICES = {"awb", "rms", "slt"};
    private static final String[] TURNS = {
            "the committee will meet on tuesday to discuss the new budget. the president said the government would"
                    + " raise taxes next year. students should read the first three chapters before the next"
                    + " lecture. the weather will stay warm and dry for the rest of the week.",
            "the city council approved a plan to build a new public library. scientists have found evidence of"
                    + " water on the surface of mars. the company reported strong sales in the last quarter of the"
                    + " year. a new study suggests that walking every day is good for the heart.",
            "today we will talk about the history of the industrial revolution. heavy rain is expected across the"
                    + " north of the country this weekend. the police are asking anyone with information to call"
                    + " the local station. the library will stay open late during the exam period.",
            "the museum will open a new exhibition about ancient egypt next month. the football team won the"
                    + " championship after a long and difficult season. the doctor told him to get more sleep and"
                    + " exercise. the band will play a free concert in the park on saturday night.",
            "the train to the airport leaves every twenty minutes from the central station. the report shows"
                    + " that prices rose faster than wages during the last two years. farmers are worried about"
                    + " the dry summer. the mayor promised to repair the roads before the winter.",
            "the new bridge will carry traffic across the river by the end of the year. the children planted"
                    + " trees in the park behind the school. the board will announce its decision on friday"
                    + " morning. the shop on the corner sells fresh bread every morning.",
    };

    static ThreeVoices make(Path dir) throws Exception {
        List<short[]> parts = new ArrayList<>();
        List<Long> changes = new ArrayList<>();
        long samples = 0;
        for (int turn = 0; turn < TURNS.length; turn++) {
            short[] said = Flite.say(dir, VOICES[turn % VOICES.length], TURNS[turn]);
            if (turn > 0) {
                changes.add(samples * 1000 / 16_000);
            }
            parts.add(said);
            samples += said.length;
        }
        short[] all = new short[(int) samples];
        int at = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return new ThreeVoices(all, changes);
    }

    long durationMs() {
        return samples.length * 1000L / 16_000;
    }
}
