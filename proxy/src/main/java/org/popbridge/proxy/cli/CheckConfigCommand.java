package org.popbridge.proxy.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ConfigFileLines;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.ConfigProblem;
import org.popbridge.proxy.config.PopbridgeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code popbridge check-config --config FILE}, as {@code nginx -t}: checks the file as
 * {@code popbridge --config FILE} would start with it, certificates and CA files included, and
 * prints the settings it would run with (secrets masked); nothing is bound or written.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check a configuration file as a start would (listeners, servers, routes, filters, limits, "
                + "certificates and CA files) and print the effective settings, secrets masked. Exit 0 if it is "
                + "good, 2 with FILE:LINE: key: problem lines if not.")
final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "YAML configuration file.")
    Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PopbridgeConfig loaded;
        List<ConfigProblem> problems;
        try {
            loaded = new ConfigLoader().load(config);
            problems = StartChecks.of(loaded, ConfigFileLines.read(config), Instant.now());
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return ExitCodes.CONFIG_ERROR;
        }
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.println(config + ": " + problems.size() + " problem(s); popbridge would not start");
            return ExitCodes.CONFIG_ERROR;
        }
        out.print(EffectiveSettings.yaml(loaded));
        out.println("# " + config + ": configuration OK");
        return ExitCodes.OK;
    }
}
