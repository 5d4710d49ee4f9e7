package dev.releaseconsole.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Dependencies point one way, app -> views -> services; the engine never sees the UI toolkit. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.releaseconsole");
    }

    @Test
    void servicesNeverUseJavaFx() {
        noClasses().that().resideInAPackage("dev.releaseconsole.services..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..")
                .check(classes);
    }

    @Test
    void servicesDoNotReachUpIntoViewsOrApp() {
        noClasses().that().resideInAPackage("dev.releaseconsole.services..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.releaseconsole.views..", "dev.releaseconsole.app..")
                .check(classes);
    }

    @Test
    void viewsNeverTalkToClustersProvidersOrDatabasesDirectly() {
        noClasses().that().resideInAPackage("dev.releaseconsole.views..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "okhttp3..", "java.sql..",
                        "org.sqlite..")
                .check(classes);
    }

    @Test
    void viewsDoNotDependOnTheApp() {
        noClasses().that().resideInAPackage("dev.releaseconsole.views..")
                .should().dependOnClassesThat().resideInAPackage("dev.releaseconsole.app..")
                .check(classes);
    }

    @Test
    void viewsRunBackgroundWorkOnlyThroughTheTaskRunner() {
        noClasses().that().resideInAPackage("dev.releaseconsole.views..")
                .and().doNotHaveFullyQualifiedName("dev.releaseconsole.views.common.BackgroundTaskRunner")
                .and().doNotHaveFullyQualifiedName("dev.releaseconsole.views.fx.FxThrottle")
                .and().doNotHaveFullyQualifiedName("dev.releaseconsole.views.detail.MetricsPoller")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.Executors")
                .orShould().dependOnClassesThat().resideInAPackage("javafx.concurrent..")
                .because("service calls go through the injected TaskRunner (BACKGROUND in the app, DIRECT in tests),"
                        + " live updates reach the FX thread through FxThrottle, and only the metrics poller"
                        + " schedules its own polls")
                .check(classes);
    }
}
