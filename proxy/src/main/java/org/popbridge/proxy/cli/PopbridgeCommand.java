package org.popbridge.proxy.cli;

import java.util.concurrent.Callable;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.core.transport.NettyProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/** {@code popbridge [options]}: runs the proxy until SIGTERM or SIGINT; SIGHUP reloads it. */
@Command(name = "popbridge", mixinStandardHelpOptions = true, versionProvider = BuildVersion.Provider.class,
        description = "POP3 proxy: gives legacy mail clients modern TLS towards their mail server.",
        subcommands = {DemoCommand.class, CertsCommand.class, TestRulesCommand.class, CheckConfigCommand.class,
                ReloadCommand.class, OAuthCommand.class},
        exitCodeOnInvalidInput = ExitCodes.CONFIG_ERROR)
public final class PopbridgeCommand implements Callable<Integer> {

    @Mixin
    RunOptions options = new RunOptions();

    public static void main(String[] args) {
        // Before any netty class reads them.
        NettyProperties.setDefaults(System.getProperties());
        System.exit(new CommandLine(new PopbridgeCommand()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        PopbridgeConfig config;
        try {
            config = options.resolve();
        } catch (ConfigException e) {
            return ExitCodes.configError(e);
        }
        return ProxyRunner.runUntilStopped(config, options::resolve, options.config);
    }
}
