package dev.parley.rendezvous.launch;

import dev.parley.rendezvous.config.ParleyConfig;
import io.smallrye.config.WithDefault;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of the options that set a {@code parley.*} setting, so that they are declared once,
 * in {@link ParleyConfig}: an option's {@code PARLEY_*} environment variable if set, else the
 * {@code @WithDefault} of the setting it stands for (durations turned into the option's seconds).
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    /** Option → the setting it sets; a trailing {@code :s} means the option counts seconds of a duration. */
    static final Map<String, String> SETTINGS = Map.ofEntries(
            Map.entry("--lockout-attempts", "lockout.attempts"),
            Map.entry("--lockout-seconds", "lockout.duration:s"),
            Map.entry("--idle-timeout", "idle-timeout:s"),
            Map.entry("--heartbeat", "heartbeat.interval:s"),
            Map.entry("--consent-timeout", "consent-timeout:s"),
            Map.entry("--hash-memory", "password-hash.memory-kib"),
            Map.entry("--hash-iterations", "password-hash.iterations"),
            Map.entry("--max-waiting", "relay.max-waiting"),
            Map.entry("--max-waiting-per-sender", "relay.max-waiting-per-sender"),
            Map.entry("--login-rate", "rate-limit.login-per-address"),
            Map.entry("--register-rate", "rate-limit.register-per-address"),
            Map.entry("--getaddress-rate", "rate-limit.getaddress-per-user"),
            Map.entry("--token-max-age", "tokens.max-age:s"),
            Map.entry("--token-idle", "tokens.idle-age:s"));
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !SETTINGS.containsKey(option.longestName())) {
            return null; // the option's own defaultValue
        }
        String env = System.getenv("PARLEY_" + option.longestName().substring(2).toUpperCase(java.util.Locale.ROOT)
                .replace('-', '_'));
        if (env != null) {
            return env;
        }
        String[] setting = SETTINGS.get(option.longestName()).split(":");
        String value = declaredDefault(setting[0]);
        return setting.length > 1 ? Long.toString(seconds(value)) : value;
    }

    /** The {@code @WithDefault} of a setting, by its path under {@code parley.} (kebab-case). */
    static String declaredDefault(String path) {
        Class<?> type = ParleyConfig.class;
        String[] parts = path.split("\\.");
        try {
            for (int i = 0; ; i++) {
                Method method = type.getMethod(camel(parts[i]));
                if (i == parts.length - 1) {
                    WithDefault declared = method.getAnnotation(WithDefault.class);
                    if (declared == null) {
                        throw new IllegalStateException("parley." + path + " has no default");
                    }
                    return declared.value();
                }
                type = method.getReturnType();
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no setting parley." + path, e);
        }
    }

    static long seconds(String duration) {
        Matcher m = DURATION.matcher(duration);
        if (!m.matches()) {
            return Duration.parse(duration).toSeconds();
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n / 1000;
            case "s" -> n;
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n * 86400;
        };
    }

    private static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
