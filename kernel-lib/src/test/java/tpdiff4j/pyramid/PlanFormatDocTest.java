package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tpdiff4j.schedule.Schedules;

/**
 * What a script in another framework reads in docs/plan-format.md agrees with the plans the library writes: the
 * numbers of the page's example are those of the plan it describes, bit for bit (the page promises every number
 * reads back as the double the Java code used), and the evaluation rules a plan carries as text give the plan's
 * numbers when followed literally.
 */
class PlanFormatDocTest {

    private static final Pattern OBJECT = Pattern.compile("\\{\"(index|from)\": (\\d+)");
    private static final Pattern SCALAR = Pattern.compile("\"(\\w+)\": (-?[0-9][0-9.Ee+-]*)");
    private static final Pattern ARRAY = Pattern.compile("\"(\\w+)\": \\[([^\\]]*)\\]");


    /** The json block of the page's "Example" section, line by line. */
    private static List<String> exampleLines() throws Exception {
        Path page = tpdiff4j.Checkout.root().resolve("docs/plan-format.md");
        List<String> lines = Files.readAllLines(page);
        int section = lines.indexOf(lines.stream().filter(l -> l.startsWith("## Example")).findFirst().orElseThrow());
        List<String> block = new ArrayList<>();
        boolean in = false;
        for (String l : lines.subList(section, lines.size())) {
            if (l.startsWith("```")) {
                if (in) {
                    break;
                }
                in = l.startsWith("```json");
                continue;
            }
            if (in) {
                block.add(l);
            }
        }
        assertTrue(block.size() > 5, "no json block in the Example section: " + block);
        return block;
    }

    @Test
    void theExampleOfThePageIsThePlanItDescribesBitForBit() throws Exception {
        TemporalPyramid p = TemporalPyramid.builder(Schedules.flowMatching(3.0), 16).withBoundaries(0.5, 0.25)
                .withRateFactors(4, 2).withConvention(WindowConvention.B).build();
        JsonObject plan = JsonParser.parseString(p.planJson(3, 4, 5)).getAsJsonObject();
        JsonObject current = null;
        int compared = 0;
        for (String line : exampleLines()) {
            Matcher o = OBJECT.matcher(line);
            if (o.find()) {
                current = plan.getAsJsonArray(o.group(1).equals("index") ? "stages" : "jumps")
                        .get(Integer.parseInt(o.group(2))).getAsJsonObject();
            }
            if (current == null) {
                continue;
            }
            Matcher a = ARRAY.matcher(line);
            while (a.find()) {
                JsonArray there = current.getAsJsonArray(a.group(1));
                String[] here = a.group(2).split(",\\s*");
                assertEquals(there.size(), here.length, a.group(1));
                for (int i = 0; i < here.length; i++) {
                    assertEquals(there.get(i).getAsDouble(), Double.parseDouble(here[i]), 0.0, a.group(1) + "[" + i + "]");
                    compared++;
                }
            }
            Matcher s = SCALAR.matcher(line.replaceAll("\\[[^\\]]*\\]", "[]"));
            while (s.find()) {
                assertTrue(current.has(s.group(1)), "the plan has no " + s.group(1) + " in " + current);
                assertEquals(current.get(s.group(1)).getAsDouble(), Double.parseDouble(s.group(2)), 0.0,
                        "docs/plan-format.md example, " + s.group(1) + " of " + line.trim());
                compared++;
            }
        }
        assertTrue(compared >= 25, "compared only " + compared + " numbers of the example");
    }

    /**
     * The vpCosine rule as the plan writes it: cos(phi(1)) is about 6e-17 in floating point, not 0, so a reader that
     * follows the formula alone has gamma(1) != 0 where the plan has 0; the text must say that t = 1 is set apart.
     */
    @Test
    void theVpCosineTextSaysThatTheNoisyEndIsSetNotComputed() {
        double phi1 = (1 + 0.008) * Math.PI / (2 * 1.008);
        assertNotEquals(0.0, Math.cos(phi1));                      // the formula, literally, misses 0
        JsonObject plan = JsonParser.parseString(TemporalPyramid.uniform(Schedules.vpCosine(), 2, 8).planJson(4))
                .getAsJsonObject();
        assertEquals(0.0, plan.getAsJsonArray("stages").get(0).getAsJsonObject().get("gammaStart").getAsDouble(), 0.0);
        String text = plan.getAsJsonObject("schedule").get("evaluation").getAsString();
        assertTrue(text.contains("at t = 1 set gamma = 0 and sigma = 1"), text);
    }

    @Test
    void theDiscreteTextSaysHowOneMinusAlphaBarKeepsItsDigitsNearTheCleanEnd() {
        double beta0 = Math.pow(Math.sqrt(0.00085), 2);            // scaled_linear's first beta
        double sigma0 = Schedules.scaledLinear(0.00085, 0.012, 1000).sigma(0);
        // the plan's rule gives 1 - alphaBar_0 = beta_0 to the last digits; 1 - (1 - beta_0) misses it by 1.7e-17
        assertEquals(beta0, -Math.expm1(Math.log1p(-beta0)), 0.0);
        assertEquals(beta0, sigma0 * sigma0, 3e-18);
        assertTrue(Math.abs((1 - (1 - beta0)) - beta0) > 1e-17);
        JsonObject plan = JsonParser.parseString(TemporalPyramid.uniform(
                Schedules.scaledLinear(0.00085, 0.012, 1000), 2, 8).planJson(4)).getAsJsonObject();
        String text = plan.getAsJsonObject("schedule").get("evaluation").getAsString();
        assertTrue(text.contains("1 - alphaBar_i as -expm1(sum_(j <= i) log1p(-beta_j))"), text);
    }
}
