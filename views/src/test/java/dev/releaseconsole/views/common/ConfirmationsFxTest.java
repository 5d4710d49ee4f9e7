package dev.releaseconsole.views.common;

import dev.releaseconsole.services.actions.ActionType;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class ConfirmationsFxTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 400, 300));
        stage.show();
    }

    private CompletableFuture<Boolean> ask(boolean typed) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Platform.runLater(() -> answer.complete(Confirmations.confirm(stage, ActionType.ABORT,
                "rollout prod-eu/checkout/checkout-api", typed, "checkout-api")));
        WaitForAsyncUtils.waitForFxEvents();
        return answer;
    }

    @Test
    void typedNameEnablesConfirmOnlyWhenExact(FxRobot robot) throws Exception {
        CompletableFuture<Boolean> answer = ask(true);
        Button ok = robot.lookup("#confirmButton").queryButton();
        assertThat(ok.isDisabled()).isTrue();
        // headless Monocle does not move key focus to a new window by itself; a click does
        robot.clickOn("#confirmField").write("checkout").type(KeyCode.ENTER);
        assertThat(answer).isNotDone();
        robot.write("-api");
        assertThat(robot.lookup("#confirmField").queryAs(javafx.scene.control.TextField.class).getText())
                .isEqualTo("checkout-api");
        assertThat(ok.isDisabled()).isFalse();
        robot.type(KeyCode.ENTER);
        assertThat(answer.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aGitOpsWarningIsShownAndANonDestructiveActionStillAsks(FxRobot robot) throws Exception {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Platform.runLater(() -> answer.complete(Confirmations.confirm(stage, ActionType.PAUSE,
                "rollout prod-eu/checkout/cart-service", false, "cart-service",
                "cart-service is managed by Argo CD application checkout-prod: it may revert this change")));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#confirmWarning").queryLabeled().getText()).contains("Argo CD application");
        robot.clickOn("#cancelButton");
        assertThat(answer.get(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void escapeCancels(FxRobot robot) throws Exception {
        CompletableFuture<Boolean> answer = ask(false);
        assertThat(robot.lookup("#confirmButton").queryButton().isDisabled()).isFalse();
        assertThat(robot.lookup("#confirmField").tryQuery()).isEmpty(); // no typed name outside production
        robot.clickOn("#confirmQuestion").type(KeyCode.ESCAPE);
        assertThat(answer.get(5, TimeUnit.SECONDS)).isFalse();
    }
}
