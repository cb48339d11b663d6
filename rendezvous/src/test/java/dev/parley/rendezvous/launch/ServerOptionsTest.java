package dev.parley.rendezvous.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's defaults are ParleyConfig's, declared there once. */
class ServerOptionsTest {

    @Test
    void withoutOptionsEverySettingGetsTheDefaultParleyConfigDeclares() {
        ServerOptions options = new ServerOptions();
        new CommandLine(options).parseArgs();
        Map<String, String> properties = options.properties();
        ConfigDefaults.SETTINGS.forEach((option, setting) -> {
            String path = setting.split(":")[0];
            String declared = ConfigDefaults.declaredDefault(path);
            String given = properties.get("parley." + path);
            if (setting.endsWith(":s")) {
                assertEquals(ConfigDefaults.seconds(declared), ConfigDefaults.seconds(given), option);
            } else {
                assertEquals(declared, given, option);
            }
        });
        assertEquals("3", properties.get("parley.lockout.attempts"));
        assertEquals("604800s", properties.get("parley.tokens.max-age"));
    }

    @Test
    void helpShowsThoseDefaults() {
        String help = new CommandLine(new ServerOptions()).getUsageMessage();
        assertTrue(help.contains("Default: 30/60s"), help);
        assertTrue(help.contains("Default: 86400"), help);
    }
}
