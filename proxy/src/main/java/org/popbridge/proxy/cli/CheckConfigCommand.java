package org.popbridge.proxy.cli;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ConfigFileLines;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.ConfigProblem;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.core.upstream.ProbeReport;
import org.popbridge.proxy.server.UpstreamProbes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code popbridge check-config --config FILE}, as {@code nginx -t}: checks the file as
 * {@code popbridge --config FILE} would start with it, certificates and CA files included, and
 * prints the settings it would run with (secrets masked); nothing is bound or written. With
 * {@code --probe} it then visits each upstream and says whether a session could reach it.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check a configuration file as a start would (listeners, servers, routes, filters, limits, "
                + "certificates and CA files) and print the effective settings, secrets masked. Exit 0 if it is "
                + "good, 2 with FILE:LINE: key: problem lines if not; with --probe, 1 if an upstream is not usable.")
final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "YAML configuration file.")
    Path config;

    @Option(names = "--probe", description = "After the file checks pass, connect to each upstream and submission "
            + "server as a session would (TLS, greeting, STLS/STARTTLS, capabilities; never a login) and say per "
            + "server 'ok (...)' or what is wrong and how to fix it. Exit 1 if any is not usable.")
    boolean probe;

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
        return probe ? probe(loaded, out, err) : ExitCodes.OK;
    }

    /**
     * Visits each upstream (UpstreamProbes): its line on out if it answered, its sentence on err
     * if not; 1 if any did not, as a run-time failure and not a mistake in the file.
     */
    private int probe(PopbridgeConfig loaded, PrintWriter out, PrintWriter err) {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            List<ProbeReport> reports = UpstreamProbes.run(loaded, loops).join();
            for (ProbeReport report : reports) {
                (report.ok() ? out : err).println("upstream " + report.url() + ": " + report.describe());
            }
            long failed = reports.stream().filter(report -> !report.ok()).count();
            if (failed > 0) {
                err.println("# " + failed + " of " + reports.size() + " upstream(s) not usable");
                return ExitCodes.FAILURE;
            }
            out.println("# " + reports.size() + " upstream(s) answered");
            return ExitCodes.OK;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return ExitCodes.CONFIG_ERROR;
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
