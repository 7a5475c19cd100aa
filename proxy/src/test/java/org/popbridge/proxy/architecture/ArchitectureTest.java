package org.popbridge.proxy.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of docs/DESIGN.md, checked on the compiled classes: the protocol-neutral core
 * knows no protocol; a protocol (POP3, SMTP) knows neither the other nor any upstream adapter;
 * the adapters know neither each other nor the wiring; the meters sit on the core beside the
 * protocols; and no two packages depend on each other in a circle.
 */
@AnalyzeClasses(packages = "org.popbridge.proxy", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule layers = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Core").definedBy("org.popbridge.proxy.core..")
            .layer("Pop3").definedBy("org.popbridge.proxy.pop3..")
            .layer("Smtp").definedBy("org.popbridge.proxy.smtp..")
            .layer("Upstream").definedBy("org.popbridge.proxy.upstream..")
            .layer("Metrics").definedBy("org.popbridge.proxy.metrics..")
            .layer("Config").definedBy("org.popbridge.proxy.config..")
            .layer("Server").definedBy("org.popbridge.proxy.server..")
            .layer("Cli").definedBy("org.popbridge.proxy.cli..")
            .whereLayer("Core").mayNotAccessAnyLayer()
            .whereLayer("Pop3").mayOnlyAccessLayers("Core")
            .whereLayer("Smtp").mayOnlyAccessLayers("Core")
            .whereLayer("Upstream").mayOnlyAccessLayers("Core", "Pop3", "Smtp")
            .whereLayer("Metrics").mayOnlyAccessLayers("Core")
            .whereLayer("Config").mayOnlyAccessLayers("Core")
            .whereLayer("Server").mayOnlyAccessLayers("Core", "Pop3", "Smtp", "Upstream", "Metrics", "Config")
            .whereLayer("Cli").mayOnlyAccessLayers("Core", "Pop3", "Smtp", "Upstream", "Metrics", "Config", "Server");

    /** The endpoint serves what it is given and knows no meter; the meters know no endpoint. */
    @ArchTest
    static final ArchRule endpointApartFromMeters = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
            .that().resideInAPackage("org.popbridge.proxy.metrics.http..")
            .should().dependOnClassesThat().resideInAPackage("org.popbridge.proxy.metrics");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("org.popbridge.proxy.(**)").should().beFreeOfCycles();

    /** A POP3 relay, an IMAP translation and a router are alternatives: none builds on another. */
    @ArchTest
    static final ArchRule adaptersIndependent = slices().matching("org.popbridge.proxy.upstream.(*)..")
            .should().notDependOnEachOther();

    /** Inside the core, each part stands alone or on TLS: listeners and routes share no state. */
    @ArchTest
    static final ArchRule coreParts = slices().matching("org.popbridge.proxy.core.(*)..")
            .should().beFreeOfCycles();
}
