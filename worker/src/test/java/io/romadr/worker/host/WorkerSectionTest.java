package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.romadr.worker.WorkerTuning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker host's {@code worker:} section, read as the host reads its YAML (variables substituted). */
class WorkerSectionTest {

    @Test
    void theDeployedWorkerYmlKeepsTheDefaultsWhenNoVariableIsSet() throws Exception {
        assertEquals(WorkerTuning.DEFAULTS, read(Path.of("../deploy/worker.yml"), Map.of()).worker());
    }

    @Test
    void theDeployedWorkerYmlTakesTheVariables() throws Exception {
        RomaDrConfiguration config = read(Path.of("../deploy/worker.yml"), Map.of(
                "ROMA_DR_MAX_ACTIVITIES", "64", "ROMA_DR_STICKY_CACHE_SIZE", "128",
                "ROMA_DR_MAX_WORKFLOW_THREADS", "384", "ROMA_DR_WORKFLOW_POLLERS", "4"));
        assertEquals(new WorkerTuning(200, 64, 4, 16, 128, 384), config.worker());
    }

    @Test
    void aFileWithoutTheSectionGetsTheDefaults(@TempDir Path dir) throws Exception {
        Path yml = Files.writeString(dir.resolve("w.yml"), "plansDir: plans\n");
        assertEquals(WorkerTuning.DEFAULTS, read(yml, Map.of()).worker());
    }

    @Test
    void aZeroValueStopsStartUpNamingTheField(@TempDir Path dir) throws Exception {
        Path yml = Files.writeString(dir.resolve("w.yml"), "worker:\n  stickyCacheSize: 0\n");
        var e = assertThrows(ConfigurationException.class, () -> read(yml, Map.of()));
        assertTrue(e.getMessage().contains("worker.stickyCacheSize"), e.getMessage());
        assertTrue(e.getMessage().contains("must be 1 or more, got 0"), e.getMessage());
    }

    private static RomaDrConfiguration read(Path yml, Map<String, String> env) throws Exception {
        StringSubstitutor substitutor = new StringSubstitutor(env);
        return new YamlConfigurationFactory<>(RomaDrConfiguration.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor),
                        yml.toAbsolutePath().toString());
    }
}
