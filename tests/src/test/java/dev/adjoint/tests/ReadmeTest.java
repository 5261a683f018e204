package dev.adjoint.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README's "Use it in your project" is what the integration tests ({@code it/}) build and run:
 * its Maven snippet is the user project's pom, its javac lines are what {@code run.sh} runs, and
 * both name this build's version. So the README cannot go stale without a failing build.
 */
class ReadmeTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void mavenSnippetIsTheTestedUserProjectsPom() throws IOException {
    List<String> snippet = block(readme(), "```xml");
    List<String> pom = trimmed(Files.readAllLines(ROOT.resolve("it/src/it/maven-user/pom.xml")));
    assertTrue(Collections.indexOfSubList(pom, snippet) >= 0,
        "README's Maven snippet must be it/src/it/maven-user/pom.xml's text, line for line:\n"
            + String.join("\n", snippet));
  }

  @Test
  void javacLinesAreWhatTheIntegrationTestRuns() throws IOException {
    List<String> script = Files.readAllLines(ROOT.resolve("it/src/it/javac-user/run.sh"));
    int begin = script.indexOf("  # README begins");
    int end = script.indexOf("  # README ends");
    assertTrue(begin >= 0 && end > begin, "run.sh marks README's lines");
    assertEquals(trimmed(script.subList(begin + 1, end)), block(readme(), "```sh"));
  }

  @Test
  void readmeNamesThisVersion() throws IOException {
    String version = System.getProperty("adjoint.version");
    assertTrue(version != null && !version.isEmpty(), "surefire passes adjoint.version");
    for (String fence : List.of("```xml", "```sh", "```kotlin")) {
      String text = String.join("\n", block(readme(), fence));
      assertTrue(text.contains(version), fence + " block of README names " + version);
    }
  }

  @Test
  void readmeAndDocsNameNoPathOutsideTheRepository() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (var docs = Files.list(ROOT.resolve("docs"))) {
      docs.forEach(files::add);
    }
    for (Path f : files) {
      String text = Files.readString(f);
      for (String outside : List.of("../shared", "/work/", "DESIGN.md")) {
        assertTrue(!text.contains(outside), f + " mentions " + outside);
      }
    }
  }

  private static List<String> readme() throws IOException {
    return Files.readAllLines(ROOT.resolve("README.md"));
  }

  /** The lines of README's first code block opened by {@code fence}, trimmed. */
  private static List<String> block(List<String> lines, String fence) {
    int start = lines.indexOf(fence);
    assertTrue(start >= 0, "README has a " + fence + " block");
    int end = lines.subList(start + 1, lines.size()).indexOf("```") + start + 1;
    return trimmed(lines.subList(start + 1, end));
  }

  private static List<String> trimmed(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) out.add(l.strip());
    return out;
  }
}
