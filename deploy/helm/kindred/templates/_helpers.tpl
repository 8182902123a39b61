{{/* Names and labels shared by the chart's objects. */}}
{{- define "kindred.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kindred.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "kindred.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kindred.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kindred.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "kindred.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: server
{{- end }}

{{- define "kindred.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kindred.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Whether the nodes share a Redis. */}}
{{- define "kindred.redis" -}}
{{- if or .Values.redis.url .Values.redis.existingSecret }}true{{- end }}
{{- end }}

{{/*
kindred.yaml: the user's config, with the settings the chart owns (host, ports, drain time) and without empty jwt
claims (the server refuses a blank issuer or audience rather than guessing what was meant).
*/}}
{{- define "kindred.config" -}}
{{- $config := deepCopy (default dict .Values.config) }}
{{- $_ := set $config "host" "0.0.0.0" }}
{{- $_ := set $config "port" (int .Values.service.targetPort) }}
{{- $_ := set $config "management" (dict "host" "0.0.0.0" "port" (int .Values.management.port)) }}
{{- $_ := set $config "shutdownGrace" (printf "%ds" (int .Values.drainSeconds)) }}
{{- $jwt := dict }}
{{- range $key, $value := (default dict $config.jwt) }}
{{- if $value }}{{- $_ := set $jwt $key $value }}{{- end }}
{{- end }}
{{- if $jwt }}{{- $_ := set $config "jwt" $jwt }}{{- else }}{{- $_ := unset $config "jwt" }}{{- end }}
{{- toYaml $config }}
{{- end }}
