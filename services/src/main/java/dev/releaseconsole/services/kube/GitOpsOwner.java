package dev.releaseconsole.services.kube;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.Map;

/**
 * Which GitOps tool owns an object, from the marks each tool leaves on what it applies. A console that changes such
 * an object should say that the tool may revert it.
 *
 * <ul>
 * <li>Argo CD, annotation tracking: {@code argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<ns>/<name>}, where
 * {@code <app>} is {@code <app-namespace>_<app-name>} for applications outside Argo CD's own namespace.</li>
 * <li>Argo CD with a custom tracking label: {@code argocd.argoproj.io/instance: <app>}.</li>
 * <li>Argo CD's older default, label tracking with {@code app.kubernetes.io/instance}, is deliberately not used on
 * its own: Helm sets the same label on everything it installs, so it proves nothing.</li>
 * <li>Flux: {@code helm.toolkit.fluxcd.io/name} + {@code /namespace} (HelmRelease), or
 * {@code kustomize.toolkit.fluxcd.io/name} + {@code /namespace} (Kustomization).</li>
 * </ul>
 */
final class GitOpsOwner {
    static final String ARGOCD_TRACKING_ID = "argocd.argoproj.io/tracking-id";
    static final String ARGOCD_INSTANCE = "argocd.argoproj.io/instance";
    static final String FLUX_KUSTOMIZE_NAME = "kustomize.toolkit.fluxcd.io/name";
    static final String FLUX_KUSTOMIZE_NAMESPACE = "kustomize.toolkit.fluxcd.io/namespace";
    static final String FLUX_HELM_NAME = "helm.toolkit.fluxcd.io/name";
    static final String FLUX_HELM_NAMESPACE = "helm.toolkit.fluxcd.io/namespace";

    private GitOpsOwner() {
    }

    /** "Argo CD application shop-prod", "Flux Kustomization flux-system/apps", or null. */
    static String of(ObjectMeta meta) {
        if (meta == null) {
            return null;
        }
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        String tracking = annotations.get(ARGOCD_TRACKING_ID);
        if (tracking != null && !tracking.isBlank()) {
            int colon = tracking.indexOf(':');
            String app = colon < 0 ? tracking : tracking.substring(0, colon);
            return "Argo CD application " + app.replace('_', '/');
        }
        String instance = labels.get(ARGOCD_INSTANCE);
        if (instance != null && !instance.isBlank()) {
            return "Argo CD application " + instance.replace('_', '/');
        }
        String helm = labels.get(FLUX_HELM_NAME);
        if (helm != null && !helm.isBlank()) {
            return "Flux HelmRelease " + qualified(labels.get(FLUX_HELM_NAMESPACE), helm);
        }
        String kustomization = labels.get(FLUX_KUSTOMIZE_NAME);
        if (kustomization != null && !kustomization.isBlank()) {
            return "Flux Kustomization " + qualified(labels.get(FLUX_KUSTOMIZE_NAMESPACE), kustomization);
        }
        return null;
    }

    private static String qualified(String namespace, String name) {
        return namespace == null || namespace.isBlank() ? name : namespace + "/" + name;
    }
}
