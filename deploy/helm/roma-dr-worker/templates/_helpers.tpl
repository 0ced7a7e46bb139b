{{/* The release's resource name: <release>-roma-dr-worker, or the release name when it already says so. */}}
{{- define "roma-dr-worker.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "roma-dr-worker.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "roma-dr-worker.labels" -}}
{{ include "roma-dr-worker.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "roma-dr-worker.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "roma-dr-worker.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the credentials files: the user's, or the chart's when it has any value. */}}
{{- define "roma-dr-worker.credentialsSecret" -}}
{{- if .Values.credentials.existingSecret -}}
{{- .Values.credentials.existingSecret -}}
{{- else if or .Values.credentials.alertmanagerToken .Values.credentials.webhookHmac -}}
{{- printf "%s-credentials" (include "roma-dr-worker.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The plans ConfigMap: the user's, or the chart's. */}}
{{- define "roma-dr-worker.plansConfigMap" -}}
{{- default (printf "%s-plans" (include "roma-dr-worker.fullname" .)) .Values.plansExistingConfigMap -}}
{{- end -}}

{{/* True when the TLS Secret is mounted (TLS on and a file of it used). */}}
{{- define "roma-dr-worker.tlsFiles" -}}
{{- $t := .Values.temporal.tls -}}
{{- if and $t.enabled (or $t.caKey $t.certKey $t.keyKey) -}}true{{- end -}}
{{- end -}}

{{/* True when any file goes under /run/secrets/roma-dr (else the volume is left out). */}}
{{- define "roma-dr-worker.hasSecrets" -}}
{{- if or (include "roma-dr-worker.credentialsSecret" .) (include "roma-dr-worker.tlsFiles" .) .Values.temporal.apiKey.existingSecret .Values.temporal.payloadKeys.existingSecret -}}true{{- end -}}
{{- end -}}
